/**
 * The local-process toolkit of the probe and the runner: finding a binary on a search path, a child's clean
 * environment, starting a child with its output drained and capped, waiting for it with a deadline, ending its tree.
 */
package io.attune.worker.adapter.local.process;
