/** JMH: one placement decision over a large fleet beside naive filters of a plain list, and its report. */
package io.attune.worker.benchmarks.placement;
