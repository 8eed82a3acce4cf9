package io.attune.worker.core.model.execution;

/** The identity of one execution of an action. */
public record ExecutionId(long value) {
  public ExecutionId {
    if (value < 1) {
      throw new IllegalArgumentException("execution id must be positive, was " + value);
    }
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
