package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.worker.Worker;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The scheduler's fast answer: the outcome and the chosen worker. The full explanation is computed only
 * when asked for, since most decisions never need it.
 */
public final class PlacementDecision {
  private final PlacementOutcome outcome;
  private final Worker selected;
  private final Supplier<PlacementReport> explanation;

  PlacementDecision(PlacementOutcome outcome, Worker selected, Supplier<PlacementReport> explanation) {
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.selected = selected;
    this.explanation = Objects.requireNonNull(explanation, "explanation");
  }

  public PlacementOutcome outcome() {
    return outcome;
  }

  /** The chosen worker; present exactly when the outcome is {@link PlacementOutcome#SELECTED}. */
  public Optional<Worker> selected() {
    return Optional.ofNullable(selected);
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
