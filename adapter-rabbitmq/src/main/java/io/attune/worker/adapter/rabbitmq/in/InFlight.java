package io.attune.worker.adapter.rabbitmq.in;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a subscription's handlers on its pool and counts those in flight, from the moment one is handed to the pool
 * until it has returned, having settled its message; a caller can wait until there are none.
 */
final class InFlight implements Executor {

  private final Executor pool;
  private final AtomicInteger count = new AtomicInteger();
  private final Object idle = new Object();

  InFlight(Executor pool) {
    this.pool = pool;
  }

  /**
   * Hands the handler to the pool, counted until it returns.
   *
   * @throws RejectedExecutionException when the pool is shut down; the handler is then not counted
   */
  @Override
  public void execute(Runnable handler) {
    count.incrementAndGet();
    try {
      pool.execute(() -> {
        try {
          handler.run();
        } finally {
          finished();
        }
      });
    } catch (RejectedExecutionException e) {
      finished();
      throw e;
    }
  }

  private void finished() {
    if (count.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  int count() {
    return count.get();
  }

  /**
   * Waits until no handler is in flight.
   *
   * @return false when some still were once the timeout passed
   */
  boolean awaitNone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (count.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
    return true;
  }
}
