package io.attune.worker.core.error;

/** Base of every exception the worker core and its adapters throw on purpose. */
public abstract class AttuneException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected AttuneException(String message) {
    super(message);
  }

  protected AttuneException(String message, Throwable cause) {
    super(message, cause);
  }
}
