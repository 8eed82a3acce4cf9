package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.placement.rule.RejectionCode;
import io.attune.worker.core.model.worker.Worker;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The scheduler's fast answer: the outcome and the chosen worker. The full explanation is computed only
 * when asked for, since most decisions never need it.
 */
public final class PlacementDecision {
  private final PlacementOutcome outcome;
  private final Worker selected;
  private final Supplier<PlacementReport> explanation;
  private final Supplier<Set<RejectionCode>> reasons;

  PlacementDecision(PlacementOutcome outcome, Worker selected, Supplier<PlacementReport> explanation,
      Supplier<Set<RejectionCode>> reasons) {
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.selected = selected;
    this.explanation = Objects.requireNonNull(explanation, "explanation");
    this.reasons = Objects.requireNonNull(reasons, "reasons");
  }

  public PlacementOutcome outcome() {
    return outcome;
  }

  /** The chosen worker; present exactly when the outcome is {@link PlacementOutcome#SELECTED}. */
  public Optional<Worker> selected() {
    return Optional.ofNullable(selected);
  }

  /**
   * Why no worker was selected, computed when asked for at about the cost of the decision itself: for {@code wait},
   * the transient codes that hold back the workers that could run the action later (busy, stale, inactive,
   * cordoned); for {@code unschedulable}, the lasting codes that rule out the workers (empty when there is no worker
   * at all); empty when a worker was selected. The same codes {@link #explain()} gives those workers.
   */
  public Set<RejectionCode> reasons() {
    return reasons.get();
  }

  /** Every worker's assessment, evaluated now against the same data the decision saw. */
  public PlacementReport explain() {
    return explanation.get();
  }

  @Override
  public String toString() {
    return outcome.wireName() + (selected == null ? "" : " " + selected.name());
  }
}
