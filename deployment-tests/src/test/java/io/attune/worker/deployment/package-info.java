/** Contract tests of the deployment files: Dockerfile, compose, Kubernetes manifests, health check, broker limits. */
package io.attune.worker.deployment;
