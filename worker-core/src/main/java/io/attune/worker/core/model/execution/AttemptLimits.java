package io.attune.worker.core.model.execution;

/**
 * How often an execution is tried once an attempt is lost. Runs and dispatches are counted apart: {@code maxRuns}
 * bounds the attempts that started the action (a worker lost while running it), {@code maxRedeliveries} the
 * attempts that were placed and dispatched but never started (a lost dispatch, a worker that could not consume its
 * queue, a scheduler that died before publishing). A dispatch that never started is not a run, so a broker that was
 * slow or blocked for a while costs no run of the action.
 *
 * @param maxRuns how many attempts may start a run, at least 1
 * @param maxRedeliveries how many placements that never started are followed by another, at least 0
 */
public record AttemptLimits(int maxRuns, int maxRedeliveries) {

  /** Runs unless configured otherwise: one retry after a lost worker. */
  public static final int DEFAULT_MAX_RUNS = 2;
  /** Placements without a start unless configured otherwise. */
  public static final int DEFAULT_MAX_REDELIVERIES = 5;

  public AttemptLimits {
    if (maxRuns < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1, was " + maxRuns);
    }
    if (maxRedeliveries < 0) {
      throw new IllegalArgumentException("max redeliveries must not be negative, was " + maxRedeliveries);
    }
  }

  /** The default redelivery bound beside the given number of runs. */
  public static AttemptLimits ofRuns(int maxRuns) {
    return new AttemptLimits(maxRuns, DEFAULT_MAX_REDELIVERIES);
  }

  /** What follows the loss of the execution's current attempt: another attempt, or none. */
  public Verdict afterLoss(Execution lost) {
    if (lost.currentAttemptStarted()) {
      int runs = lost.runs();
      return runs < maxRuns ? new Verdict(true, true, "requeued (run " + runs + " of at most " + maxRuns + ")")
          : new Verdict(false, true, "no attempt left (max " + maxRuns + (maxRuns == 1 ? " run" : " runs") + ")");
    }
    int redeliveries = lost.redeliveries();
    return redeliveries < maxRedeliveries
        ? new Verdict(true, false, "requeued without counting a run (it never started; redelivery "
            + (redeliveries + 1) + " of at most " + maxRedeliveries + ")")
        : new Verdict(false, false, "dispatched " + (redeliveries + 1) + " times without ever starting (max "
            + maxRedeliveries + " redeliveries)");
  }

  /**
   * @param retry another attempt follows
   * @param ran the lost attempt had started a run
   * @param words what happened, for the reason recorded with the attempt
   */
  public record Verdict(boolean retry, boolean ran, String words) {
  }
}
