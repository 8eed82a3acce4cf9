package io.attune.worker.bootstrap.logging;

import io.attune.worker.adapter.rabbitmq.in.DispatchConsumer;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The names of what a log line says about its context (SLF4J's MDC), and how to carry them to another thread.
 * The RabbitMQ adapter sets {@link #EXECUTION_ID} around the handling of one message, and its consumers' threads
 * take the context of the thread that subscribed them.
 */
public final class LogContext {

  /** The worker's name, on the threads of the worker role. */
  public static final String WORKER = "worker";
  /** The execution being handled. */
  public static final String EXECUTION_ID = DispatchConsumer.EXECUTION_ID_LOG_KEY;

  private LogContext() {
  }

  /**
   * Names the worker on this thread until the returned handle is closed, which puts back what the thread had: the
   * threads it starts meanwhile (consumers, through {@link #carried}) keep the name.
   */
  public static Scope worker(String name) {
    return put(WORKER, name);
  }

  /**
   * Names the execution on this thread until the returned handle is closed: for a line about one execution logged
   * outside the handling of its message (a placement by the scheduler's sweep, say).
   */
  public static Scope execution(Object id) {
    return put(EXECUTION_ID, String.valueOf(id));
  }

  private static Scope put(String key, String value) {
    String before = MDC.get(key);
    MDC.put(key, value);
    return () -> {
      if (before == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, before);
      }
    };
  }

  /** Ends what {@link #worker} began; closing it throws nothing. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** The task, run with the context the calling thread has now (a pool's threads start with none). */
  public static Runnable carried(Runnable task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> before = MDC.getCopyOfContextMap();
      if (context == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(context);
      }
      try {
        task.run();
      } finally {
        if (before == null) {
          MDC.clear();
        } else {
          MDC.setContextMap(before);
        }
      }
    };
  }
}
