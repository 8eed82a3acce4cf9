package io.attune.worker.core.embed;

import io.attune.worker.core.error.WorkerNameTakenException;
import io.attune.worker.core.model.execution.ExecutionId;
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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An embedded worker's heartbeat, on a daemon thread of its own ({@code heartbeat-<name>}), every interval: the beat,
 * saying whether the worker takes work (a registry that forgot the worker gets it registered again with what it
 * advertises now; one that says another process holds the name ends this one's ownership, once), then a look at the
 * store for what the worker runs but should not any more (a cancel it missed, a run a later attempt took from it).
 */
final class WorkerBeats implements Runnable {

  /** The worker's parts a beat reads. */
  record Parts(WorkerLifecycleService lifecycle, Worker worker, Supplier<WorkerRegistration> registration,
      Optional<String> instance, BooleanSupplier takingWork, WorkerListener listener) {
  }

  private final Parts parts;
  private final StopExecutionUseCase runs;
  private final NameLease lease;
  private final Consumer<String> nameLost;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final ScheduledExecutorService timer;

  private WorkerBeats(Parts parts, StopExecutionUseCase runs, NameLease lease, Consumer<String> nameLost) {
    this.parts = parts;
    this.runs = runs;
    this.lease = lease;
    this.nameLost = nameLost;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "heartbeat-" + parts.worker().name()));
  }

  static WorkerBeats start(Parts parts, StopExecutionUseCase runs, NameLease lease, Duration every,
      Consumer<String> nameLost) {
    WorkerBeats beats = new WorkerBeats(parts, runs, lease, nameLost);
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
        parts.listener().trouble("worker " + parts.worker().name() + ": looking for cancelled executions failed: "
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
    Worker worker = parts.worker();
    try {
      boolean taking = parts.takingWork().getAsBoolean();
      WorkerBeat.Outcome outcome = parts.lifecycle().beat(new WorkerBeat(worker.id(), parts.instance(), taking));
      if (outcome == WorkerBeat.Outcome.NAME_TAKEN) {
        lose("its heartbeat was refused: another process registered under the name since");
        return false;
      }
      if (outcome == WorkerBeat.Outcome.UNKNOWN_WORKER) {
        parts.listener().registeredAgain(parts.lifecycle().register(parts.registration().get()));
      }
      lease.confirmed();
      parts.listener().beatRecorded(taking);
      return true;
    } catch (WorkerNameTakenException taken) {
      lose(taken.getMessage());
    } catch (RuntimeException failed) {
      parts.listener().beatFailed(failed.getMessage());
    }
    return false;
  }

  private void stopWhatShouldNotRun() {
    List<ExecutionId> cancelled = runs.stopCancelled(parts.worker().id());
    List<ExecutionId> taken = runs.stopWhatIsNoLongerHeld(parts.worker().id());
    if (!cancelled.isEmpty() || !taken.isEmpty()) {
      parts.listener().stoppedRuns(cancelled, taken);
    }
  }

  /** Once: no more beats, and the worker told on a thread of its own (this may be a dispatch's, via the lease). */
  void lose(String why) {
    if (lost.compareAndSet(false, true)) {
      timer.shutdown();
      daemon(() -> nameLost.accept(why), "name-lost-" + parts.worker().name()).start();
    }
  }

  boolean nameLost() {
    return lost.get();
  }

  void stop() {
    timer.shutdownNow();
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
