package io.attune.worker.core.model.worker;

/** The stable identity a registry gives a worker; it survives restarts of a worker with the same name. */
public record WorkerId(long value) {
  public WorkerId {
    if (value < 1) {
      throw new IllegalArgumentException("worker id must be positive, was " + value);
    }
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
