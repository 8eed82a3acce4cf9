package io.attune.worker.core.model.placement;

import java.util.Locale;

/** The three ways a placement can end. */
public enum PlacementOutcome {
  /** A worker was chosen. */
  SELECTED,
  /** Every worker that could run the action is only busy, stale, inactive or cordoned: keep it queued. */
  WAIT,
  /** No worker could run the action even when idle and healthy. */
  UNSCHEDULABLE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
