package io.attune.worker.core.model.placement.rule;

import java.util.Objects;

/** One reason a worker was not chosen, with a detail a person can act on. */
public record Rejection(RejectionCode code, String detail) {
  public Rejection {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return code.wireName() + ": " + detail;
  }
}
