package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.Execution;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * How {@link ReconcileExecutionsService} works through a page of waiting executions: at most a given number of tasks
 * at once on an executor, each taking the next execution of the page until none is left, so that each is handled by
 * exactly one task. A task the executor refuses (it was shut down) runs on the calling thread. The first failure
 * stops the tasks taking further executions and is rethrown once every task has ended.
 */
final class PageOfPlacements {

  private final Executor placements;

  PageOfPlacements(Executor placements) {
    this.placements = placements;
  }

  /**
   * Handles each execution of the page with at most {@code concurrency} tasks at once; the outcome of the execution
   * at index i at index i.
   */
  Object[] handle(List<Execution> page, int concurrency, Function<Execution, Object> each) {
    Object[] outcomes = new Object[page.size()];
    int tasks = Math.min(concurrency, page.size());
    if (tasks == 0) {
      return outcomes;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch ended = new CountDownLatch(tasks);
    Runnable task = () -> {
      try {
        int i;
        while (failure.get() == null && (i = next.getAndIncrement()) < page.size()) {
          outcomes[i] = each.apply(page.get(i));
        }
      } catch (RuntimeException | Error failed) {
        failure.compareAndSet(null, failed);
      } finally {
        ended.countDown();
      }
    };
    for (int t = 0; t < tasks; t++) {
      try {
        placements.execute(task);
      } catch (RejectedExecutionException shutDown) {
        task.run();
      }
    }
    awaitUninterruptibly(ended, failure);
    Throwable failed = failure.get();
    if (failed instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failed instanceof Error error) {
      throw error;
    }
    // the latch's countdowns happen-before its await returns: every outcome written by a task is visible here
    return outcomes;
  }

  /** Waits for every task; an interrupt stops them taking further executions and is kept for the caller. */
  private static void awaitUninterruptibly(CountDownLatch ended, AtomicReference<Throwable> failure) {
    boolean interrupted = false;
    while (true) {
      try {
        ended.await();
        break;
      } catch (InterruptedException stop) {
        interrupted = true;
        failure.compareAndSet(null, new IllegalStateException("the sweep was interrupted", stop));
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
