/** Running an action's entry point as a child process with a clean environment, capped output and a timeout. */
package io.attune.worker.adapter.local.runner;
