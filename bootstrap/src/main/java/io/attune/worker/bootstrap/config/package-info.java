/** Configuration: the YAML or JSON file with the environment on top, validated on load. */
package io.attune.worker.bootstrap.config;
