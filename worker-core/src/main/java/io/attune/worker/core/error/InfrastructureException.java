package io.attune.worker.core.error;

/**
 * A port could not do its job because something outside the core failed (database, broker, process).
 *
 * <p>Adapters translate their library's exceptions into this one, naming the operation that failed.
 */
public class InfrastructureException extends AttuneException {
  private static final long serialVersionUID = 1L;

  private final String operation;

  public InfrastructureException(String operation, String message, Throwable cause) {
    super(operation + ": " + message, cause);
    this.operation = operation;
  }

  public InfrastructureException(String operation, String message) {
    super(operation + ": " + message);
    this.operation = operation;
  }

  /** The port operation that failed, such as {@code register worker}. */
  public String operation() {
    return operation;
  }
}
