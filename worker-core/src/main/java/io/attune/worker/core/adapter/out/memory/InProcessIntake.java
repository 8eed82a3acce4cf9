package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import io.attune.worker.core.port.out.DispatchInbox;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A worker's open in-process inbox: each dispatch handled on a pool of {@code slots} daemon threads. */
final class InProcessIntake implements DispatchInbox.Intake {

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final WorkerId worker;
  private final RunExecutionUseCase runs;
  private final Runnable unsubscribe;
  private final ExecutorService pool;
  private final Set<Thread> running = ConcurrentHashMap.newKeySet();

  InProcessIntake(WorkerId worker, int slots, RunExecutionUseCase runs, Runnable unsubscribe) {
    this.worker = worker;
    this.runs = runs;
    this.unsubscribe = unsubscribe;
    String prefix = "in-process-worker-" + POOLS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(slots, r -> {
      Thread thread = new Thread(r, prefix + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Queues the dispatch; one that arrives after {@link #stopTaking()} is refused, as a closed queue would. */
  void take(Execution dispatched) {
    try {
      pool.execute(() -> handle(dispatched));
    } catch (RejectedExecutionException closed) {
      throw new InfrastructureException("dispatch execution " + dispatched.id(),
          "the inbox of worker " + worker + " is closed");
    }
  }

  private void handle(Execution dispatched) {
    running.add(Thread.currentThread());
    try {
      runs.handleDispatch(dispatched.id(), dispatched.attempt(), worker);
    } finally {
      running.remove(Thread.currentThread());
      Thread.interrupted(); // the pool thread must not stay interrupted
    }
  }

  @Override
  public void stopTaking() {
    unsubscribe.run();
    pool.shutdown();
  }

  @Override
  public boolean awaitInFlight(Duration timeout) {
    try {
      return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public int running() {
    return running.size();
  }

  @Override
  public void interruptRunning() {
    running.forEach(Thread::interrupt);
  }

  @Override
  public void close() {
    stopTaking();
  }
}
