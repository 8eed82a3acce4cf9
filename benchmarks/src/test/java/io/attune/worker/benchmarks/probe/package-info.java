/** The wall time of probing runtime binaries in parallel, beside probing them one after another. */
package io.attune.worker.benchmarks.probe;
