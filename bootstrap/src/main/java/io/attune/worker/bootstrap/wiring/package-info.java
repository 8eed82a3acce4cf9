/** Builds the adapters of the composition root from the configuration. */
package io.attune.worker.bootstrap.wiring;
