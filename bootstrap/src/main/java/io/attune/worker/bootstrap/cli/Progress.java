package io.attune.worker.bootstrap.cli;

import io.attune.worker.core.model.execution.Attempt;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code submit --wait} tells on standard error as an execution moves: one line per step, in order. The steps
 * come from the execution's attempts, not only from the status seen at each look, so a step shorter than the
 * polling interval (scheduled, then started a few milliseconds later) is still told.
 */
final class Progress {

  private final ExecutionView view;
  private int scheduledTold;
  private int startedTold;
  private int lostTold;
  private boolean endTold;

  Progress(ExecutionView view) {
    this.view = view;
  }

  /** The lines for what changed since the last look, e.g. {@code execution 7: scheduled on worker w-1 (attempt 1)}. */
  List<String> since(Execution now) {
    List<String> lines = new ArrayList<>();
    List<Attempt> attempts = now.attempts();
    for (int i = 0; i < attempts.size(); i++) {
      Attempt attempt = attempts.get(i);
      String worker = Optional.ofNullable(view.workerName(Optional.of(attempt.worker())))
          .orElse("#" + attempt.worker());
      if (i >= scheduledTold) {
        lines.add("scheduled on worker " + worker + " (attempt " + attempt.number() + ")");
        scheduledTold = i + 1;
      }
      if (i >= startedTold && attempt.startedAt().isPresent()) {
        lines.add("running on " + worker);
        startedTold = i + 1;
      }
      // an attempt that ended without ending the execution was lost: another one follows
      boolean lost = attempt.outcome().isPresent() && (i < attempts.size() - 1 || !now.status().isTerminal());
      if (i >= lostTold && lost) {
        lines.add("attempt " + attempt.number() + " " + attempt.outcome().get().wireName()
            + (attempt.reason().isEmpty() ? "" : ": " + attempt.reason()));
        lostTold = i + 1;
      }
    }
    if (now.status().isTerminal() && !endTold) {
      lines.add(now.status().wireName() + now.result().map(ExecutionResult::message).filter(m -> !m.isEmpty())
          .map(m -> ": " + m).orElse(""));
      endTold = true;
    }
    return lines.stream().map(line -> "execution " + now.id() + ": " + line).toList();
  }
}
