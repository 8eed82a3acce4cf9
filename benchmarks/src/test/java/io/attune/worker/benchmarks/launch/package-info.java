/** How fast actions start: the worker's runner beside spawning the same script directly. */
package io.attune.worker.benchmarks.launch;
