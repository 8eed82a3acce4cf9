/** Executions and their lifecycle, with attempts so that late results from a lost attempt are refused. */
package io.attune.worker.core.model.execution;
