package io.attune.worker.core.embed;

import io.attune.worker.core.error.WorkerNameTakenException;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerBeat;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.in.StopExecutionUseCase;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An embedded worker's heartbeat, on a daemon thread of its own, every interval: the beat (a registry that forgot
 * the worker gets it registered again; one that says another process holds the name ends this one's ownership,
 * once), then a look at the store for what the worker runs but should not any more (a cancel it missed, a run a
 * later attempt took from it).
 */
final class WorkerBeats implements Runnable {

  private final WorkerLifecycleService lifecycle;
  private final Worker worker;
  private final WorkerRegistration registration;
  private final Optional<String> instance;
  private final StopExecutionUseCase runs;
  private final NameLease lease;
  private final Consumer<String> nameLost;
  private final Consumer<String> warnings;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "embedded-worker-heartbeat");
    thread.setDaemon(true);
    return thread;
  });

  private WorkerBeats(WorkerLifecycleService lifecycle, Worker worker, WorkerRegistration registration,
      Optional<String> instance, StopExecutionUseCase runs, NameLease lease, Consumer<String> nameLost,
      Consumer<String> warnings) {
    this.lifecycle = lifecycle;
    this.worker = worker;
    this.registration = registration;
    this.instance = instance;
    this.runs = runs;
    this.lease = lease;
    this.nameLost = nameLost;
    this.warnings = warnings;
  }

  static WorkerBeats start(WorkerLifecycleService lifecycle, Worker worker, WorkerRegistration registration,
      Optional<String> instance, StopExecutionUseCase runs, NameLease lease, Duration every,
      Consumer<String> nameLost, Consumer<String> warnings) {
    WorkerBeats beats = new WorkerBeats(lifecycle, worker, registration, instance, runs, lease, nameLost, warnings);
    lease.confirmBy(beats::beat);
    beats.timer.scheduleWithFixedDelay(beats, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return beats;
  }

  /** A beat, then a look at the store for what should not run any more. */
  @Override
  public void run() {
    if (beat()) {
      try {
        stopWhatShouldNotRun();
      } catch (RuntimeException failed) {
        warnings.accept("worker " + worker.name() + ": looking for cancelled executions failed: "
            + failed.getMessage());
      }
    }
  }

  /**
   * One beat; also run at once by a dispatch after a gap ({@link NameLease}), hence one at a time. True when the
   * registry recorded it.
   */
  synchronized boolean beat() {
    if (lost.get()) {
      return false;
    }
    try {
      WorkerBeat.Outcome outcome = lifecycle.beat(new WorkerBeat(worker.id(), instance, true));
      if (outcome == WorkerBeat.Outcome.NAME_TAKEN) {
        lose("its heartbeat was refused: another process registered under the name since");
        return false;
      }
      if (outcome == WorkerBeat.Outcome.UNKNOWN_WORKER) {
        warnings.accept("the registry no longer knows worker " + worker.name() + ": registering again");
        lifecycle.register(registration);
      }
      lease.confirmed();
      return true;
    } catch (WorkerNameTakenException taken) {
      lose(taken.getMessage());
    } catch (RuntimeException failed) {
      warnings.accept("heartbeat of worker " + worker.name() + " failed: " + failed.getMessage());
    }
    return false;
  }

  private void stopWhatShouldNotRun() {
    List<?> cancelled = runs.stopCancelled(worker.id());
    List<?> taken = runs.stopWhatIsNoLongerHeld(worker.id());
    if (!taken.isEmpty()) {
      warnings.accept("worker " + worker.name() + ": " + taken + " taken from this worker (a later attempt runs, "
          + "or the execution ended): ending their runs");
    }
    if (!cancelled.isEmpty()) {
      warnings.accept("worker " + worker.name() + ": cancel of " + cancelled + " found in the store: stopping");
    }
  }

  /** Once: no more beats, and the worker told on a thread of its own (this may be a dispatch's, via the lease). */
  private void lose(String why) {
    if (lost.compareAndSet(false, true)) {
      timer.shutdown();
      Thread telling = new Thread(() -> nameLost.accept(why), "embedded-worker-name-lost");
      telling.setDaemon(true);
      telling.start();
    }
  }

  boolean nameLost() {
    return lost.get();
  }

  void stop() {
    timer.shutdownNow();
  }
}
