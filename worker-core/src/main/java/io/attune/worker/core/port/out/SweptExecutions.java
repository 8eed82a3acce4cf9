package io.attune.worker.core.port.out;

/**
 * What the scheduler's sweep reads and settles: the queue, and the recovery of an execution that waited past the
 * scheduling timeout or whose dispatch never started.
 */
public interface SweptExecutions extends ExecutionQueue, AttemptRecovery {
}
