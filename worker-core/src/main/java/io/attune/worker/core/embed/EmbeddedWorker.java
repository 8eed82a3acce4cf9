package io.attune.worker.core.embed;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.out.DispatchInbox;
import io.attune.worker.core.port.out.WorkerRegistry;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.RunExecutionService;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker running in this JVM: {@link EmbeddedWorkerBuilder#start()} claims its name for this process (only from a holder that is
 * gone: one name has one live owner), hands on what an earlier process under its name held, opens its inbox and
 * beats; {@link #close()} drains it: no new work, what runs may finish within the grace, the rest is handed on, and
 * the worker is marked inactive.
 *
 * <pre>{@code
 * try (EmbeddedWorker worker = EmbeddedWorker.builder("billing-1", capabilities)
 *     .registry(registry).directory(directory).executions(executions)
 *     .inbox(inbox).actions(catalog, runner).start()) {
 *   ...
 * }
 * }</pre>
 */
public final class EmbeddedWorker implements AutoCloseable {

  /** How a refusal of the name begins, when a live process holds it: what a caller may explain further. */
  public static final String NAME_HELD = "expected a name that no live worker process holds";
  private static final Duration LAST_WAIT = Duration.ofSeconds(15);

  private final WorkerLifecycleService lifecycle;
  private final RecoverLostExecutionsService recovery;
  private final WorkerRegistry registry;
  private final ProcessInstance instance;
  private final WorkerSettings settings;
  private final WorkerListener listener;
  private final Worker worker;
  private volatile DispatchInbox.Intake intake;
  private final WorkerBeats beats;
  private final AtomicReference<String> lostBecause = new AtomicReference<>();
  private boolean drained;

  EmbeddedWorker(EmbeddedWorkerBuilder b, WorkerLifecycleService lifecycle, RecoverLostExecutionsService recovery,
      Worker worker) {
    this.lifecycle = lifecycle;
    this.recovery = recovery;
    this.registry = b.registry;
    this.instance = b.instance;
    this.settings = b.settings;
    this.listener = b.listener;
    this.worker = worker;
    int slots = b.capabilities.maxConcurrentExecutions();
    // claimed just now: the lease starts confirmed; after a gap (a paused JVM) a run starts only once a beat is
    // recorded, so a process whose name was taken over meanwhile starts nothing
    NameLease lease = new NameLease(settings.heartbeatInterval());
    RunExecutionService runs = new RunExecutionService(b.executions, b.catalog, b.runner, b.clock, slots,
        b.retryPause, b.observer, b.events, lease);
    this.beats = WorkerBeats.start(new WorkerBeats.Parts(lifecycle, worker, () -> b.registration()
        .withCapabilities(b.advertised.get()), Optional.of(b.instance.id()), b.takingWork, listener), runs, lease,
        settings.heartbeatInterval(), this::loseName);
    try {
      this.intake = b.inbox.open(worker.id(), slots, runs, runs);
    } catch (RuntimeException failed) {
      beats.stop();
      throw failed;
    }
    if (lostBecause.get() != null) {
      // the name was lost while the inbox opened: what loseName could not close yet
      intake.stopTaking();
      intake.close();
    }
  }

  /** A builder for the worker named {@code name}, advertising {@code capabilities}. */
  public static EmbeddedWorkerBuilder builder(String name, Capabilities capabilities) {
    return new EmbeddedWorkerBuilder(name, capabilities);
  }

  /** The worker as registered. */
  public Worker worker() {
    return worker;
  }

  /** How many executions run right now. */
  public int running() {
    return intake.running();
  }

  /**
   * Why this process stopped taking and running work, if it did: another process took the worker's name over (this
   * one was judged gone, e.g. paused for longer than three heartbeats).
   */
  public Optional<String> lostName() {
    return Optional.ofNullable(lostBecause.get());
  }

  /** Drains within the settings' drain grace; see {@link #drain}. */
  @Override
  public void close() {
    drain(settings.drainGrace());
  }

  /**
   * Drains: marks the worker draining (no new work is placed on it), takes no more dispatches, lets what runs finish
   * within {@code grace}, hands on what does not, and marks the worker inactive. Only once; a process that no longer
   * holds the name touches nothing of the name's, which belongs to another process now.
   */
  public synchronized void drain(Duration grace) {
    if (drained) {
      return;
    }
    drained = true;
    if (lostBecause.get() != null || beats.nameLost()) {
      return;
    }
    if (!holdsName()) {
      beats.stop();
      loseName("found at shutdown: another process holds the name");
      return;
    }
    listener.draining(intake.running(), grace);
    tryTo("mark itself draining", () -> lifecycle.startDraining(worker.id()));
    intake.stopTaking();
    if (!intake.awaitInFlight(grace)) {
      int stillRunning = intake.running();
      tryTo("hand on what it still runs", () -> listener.handedOn(stillRunning,
          recovery.recoverHeldBy(worker.id(), "ran out of its drain grace")));
      // ends their runs; the outcome each then reports is refused, the attempt having been handed on
      intake.interruptRunning();
      intake.awaitInFlight(LAST_WAIT);
    }
    intake.close();
    beats.stop();
    tryTo("mark itself inactive", () -> {
      lifecycle.deregister(worker.id());
      listener.inactive();
    });
  }

  /** True while the registry says this process holds the worker's name (true when it cannot tell). */
  private boolean holdsName() {
    try {
      return registry.holderOf(worker.name()).flatMap(NameHolder::instance)
          .map(holder -> holder.id().equals(instance.id())).orElse(true);
    } catch (RuntimeException unreachable) {
      return true;
    }
  }

  /** Once: takes no more work and ends what runs (it was handed on), then tells the listener. */
  private void loseName(String why) {
    if (!lostBecause.compareAndSet(null, why)) {
      return;
    }
    DispatchInbox.Intake taking = intake;
    if (taking != null) {
      taking.stopTaking();
      taking.interruptRunning();
      taking.awaitInFlight(LAST_WAIT);
      taking.close();
    }
    listener.nameLost(why);
  }

  private void tryTo(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException failed) {
      listener.trouble("worker " + worker.name() + " could not " + what + ": " + failed.getMessage());
    }
  }
}
