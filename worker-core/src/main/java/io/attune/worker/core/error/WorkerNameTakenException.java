package io.attune.worker.core.error;

/**
 * This process no longer holds its worker name: another process took it over (this one was judged gone, e.g. its
 * heartbeat stopped for three intervals). The process must stop taking work and end: what it held was handed on.
 */
public final class WorkerNameTakenException extends AttuneException {
  private static final long serialVersionUID = 1L;

  private final String name;

  public WorkerNameTakenException(String name, String detail) {
    super("worker name '" + name + "' is held by another process: " + detail);
    this.name = name;
  }

  /** The worker name. */
  public String name() {
    return name;
  }
}
