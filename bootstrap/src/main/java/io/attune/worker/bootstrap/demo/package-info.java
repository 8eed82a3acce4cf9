/** The embedded demo: the whole system in one JVM. */
package io.attune.worker.bootstrap.demo;
