package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.PlacementDecision;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerCensus;
import java.time.Duration;
import java.util.Map;

/**
 * What the core tells the outside about scheduling and running executions as it happens, e.g. to keep metrics.
 * Every method has a default that does nothing, and {@link #NONE} is that observer: an embedder needs nothing.
 * The core calls it on its own threads, in the middle of its work: an implementation must be quick, thread-safe
 * and must not throw.
 */
public interface ExecutionObserver {

  /** The observer that ignores everything. */
  ExecutionObserver NONE = new ExecutionObserver() {
  };

  /**
   * A placement decision begins (reading the candidates included); the handle returned is told its outcome once it
   * is decided, so an observer can time it with a clock of its own.
   */
  default Decision decisionStarted() {
    return Decision.NONE;
  }

  /**
   * An attempt of an execution started on a worker.
   *
   * @param sinceSubmission from the execution's submission to this start, by the store's clock
   */
  default void executionStarted(Execution started, Duration sinceSubmission) {
  }

  /** This process recorded the end of an execution: its status is terminal. Reported once per execution. */
  default void executionEnded(Execution ended) {
  }

  /** A dispatch to a worker was not delivered; the execution's slot was given back and it waits again. */
  default void dispatchFailed(Execution execution, String reason) {
  }

  /**
   * An execution whose placement never started was queued again for another placement (its dispatch was lost, or
   * its worker was lost before starting it): a redelivery, which costs no run and counts against the redelivery
   * bound ({@link io.attune.worker.core.model.execution.AttemptLimits#maxRedeliveries()}).
   */
  default void executionRedelivered(Execution requeued) {
  }

  /** The announcement that an execution ended was not published (its outcome is stored all the same). */
  default void resultNotPublished(ExecutionId id, String reason) {
  }

  /**
   * The executions waiting to be placed, per runtime, as the store counted them just now: the queue depth that
   * autoscaling reads. A runtime reported before that has none waiting now is reported with 0.
   */
  default void waitingCounted(Map<RuntimeName, Long> waitingByRuntime) {
  }

  /** The registered workers by status and runtime, counted just now; groups reported before and now empty are 0. */
  default void workersCounted(WorkerCensus census) {
  }

  /** One placement decision being made. */
  @FunctionalInterface
  interface Decision {

    /** The handle that ignores the outcome. */
    Decision NONE = decision -> {
    };

    /**
     * The decision is made. Its {@link PlacementDecision#reasons()} (why no worker was selected, by rejection code)
     * cost about as much as the decision: an observer asks for them only when it uses them.
     */
    void decided(PlacementDecision decision);
  }
}
