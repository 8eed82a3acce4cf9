/** JMH benchmarks and the harnesses that print them against a baseline measured in the same run. */
package io.attune.worker.benchmarks;
