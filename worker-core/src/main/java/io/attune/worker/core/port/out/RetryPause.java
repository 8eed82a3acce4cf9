package io.attune.worker.core.port.out;

import java.time.Duration;

/**
 * Waits before a retry, saying why: how the core backs off from a store that failed, without sleeping in tests.
 * An adapter sleeps (and may log the reason); a test records the calls or fails on the first one.
 */
@FunctionalInterface
public interface RetryPause {

  /** Sleeps the calling thread; the reason names what failed and what will be tried again. */
  RetryPause SLEEP = (wait, reason) -> Thread.sleep(wait.toMillis());

  /**
   * Waits {@code wait} before the next try.
   *
   * @throws InterruptedException when the thread is interrupted: the caller stops retrying
   */
  void pause(Duration wait, String reason) throws InterruptedException;
}
