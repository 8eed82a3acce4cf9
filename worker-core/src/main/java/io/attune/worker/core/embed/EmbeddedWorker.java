package io.attune.worker.core.embed;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.in.ClaimWorkerNameUseCase.NameClaim;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.DispatchInbox;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.ProcessTable;
import io.attune.worker.core.port.out.RetryPause;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.RunExecutionService;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A worker running in this JVM: {@link Builder#start()} claims its name for this process (only from a holder that is
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

  private static final Duration LAST_WAIT = Duration.ofSeconds(15);

  private final WorkerLifecycleService lifecycle;
  private final RecoverLostExecutionsService recovery;
  private final WorkerSettings settings;
  private final Consumer<String> warnings;
  private final Worker worker;
  private final DispatchInbox.Intake intake;
  private final WorkerBeats beats;
  private boolean closed;

  private EmbeddedWorker(Builder b, WorkerLifecycleService lifecycle, RecoverLostExecutionsService recovery,
      Worker worker) {
    this.lifecycle = lifecycle;
    this.recovery = recovery;
    this.settings = b.settings;
    this.warnings = b.warnings;
    this.worker = worker;
    int slots = b.capabilities.maxConcurrentExecutions();
    // claimed just now: the lease starts confirmed; after a gap (a paused JVM) a run starts only once a beat is
    // recorded, so a process whose name was taken over meanwhile starts nothing
    NameLease lease = new NameLease(settings.heartbeatInterval());
    RunExecutionService runs = new RunExecutionService(b.executions, b.catalog, b.runner, b.clock, slots,
        RetryPause.SLEEP, b.observer, b.events, lease);
    this.beats = WorkerBeats.start(lifecycle, worker, b.registration(), Optional.of(b.instance.id()), runs, lease,
        settings.heartbeatInterval(), this::loseName, warnings);
    this.intake = b.inbox.open(worker.id(), slots, runs, runs);
  }

  /** A builder for the worker named {@code name}, advertising {@code capabilities}. */
  public static Builder builder(String name, Capabilities capabilities) {
    return new Builder(name, capabilities);
  }

  /** The worker as registered. */
  public Worker worker() {
    return worker;
  }

  /** How many executions run right now. */
  public int running() {
    return intake.running();
  }

  /** True once another process took the worker's name over: this one then stopped taking and running work. */
  public boolean lostName() {
    return beats.nameLost();
  }

  /** Drains, hands on what did not finish within the grace, and marks the worker inactive. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (beats.nameLost()) {
      return; // the name, its entry and what it holds belong to another process now
    }
    tryTo("mark itself draining", () -> lifecycle.startDraining(worker.id()));
    intake.stopTaking();
    if (!intake.awaitInFlight(settings.drainGrace())) {
      warnings.accept("worker " + worker.name() + ": " + intake.running() + " executions still running after the "
          + "drain grace of " + settings.drainGrace().toSeconds() + " s: handing them on");
      tryTo("hand on what it still runs", () -> recovery.recoverHeldBy(worker.id(),
          "ran out of its drain grace"));
      intake.interruptRunning();
      intake.awaitInFlight(LAST_WAIT);
    }
    intake.close();
    beats.stop();
    tryTo("mark itself inactive", () -> lifecycle.deregister(worker.id()));
  }

  private void loseName(String why) {
    warnings.accept("worker " + worker.name() + ": another process holds the name now (" + why + "): this one "
        + "takes no more work and ends what it runs, which was handed on");
    intake.stopTaking();
    intake.interruptRunning();
    intake.close();
  }

  private void tryTo(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException failed) {
      warnings.accept("worker " + worker.name() + " could not " + what + ": " + failed.getMessage());
    }
  }

  /** What an embedded worker needs, with defaults for what it can do without. */
  public static final class Builder {

    private final String name;
    private final Capabilities capabilities;
    private WorkerRegistry registry;
    private WorkerDirectory directory;
    private ExecutionStore executions;
    private DispatchInbox inbox;
    private ActionCatalog catalog;
    private ActionRunner runner;
    private Clock clock = Clock.systemUTC();
    private ExecutionObserver observer = ExecutionObserver.NONE;
    private ExecutionEvents events = ExecutionEvents.NONE;
    private WorkerSettings settings = WorkerSettings.DEFAULTS;
    private ProcessInstance instance;
    private ProcessTable processes = (pid, startedAt) -> true;
    private Duration nameWait = Duration.ZERO;
    private Consumer<String> warnings = warning -> { };

    private Builder(String name, Capabilities capabilities) {
      this.name = Objects.requireNonNull(name, "name");
      this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
    }

    /** Where workers register and beat (required). */
    public Builder registry(WorkerRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** Where workers are read, to hand on what a gone process held (required). */
    public Builder directory(WorkerDirectory directory) {
      this.directory = directory;
      return this;
    }

    /** Where executions are stored (required). */
    public Builder executions(ExecutionStore executions) {
      this.executions = executions;
      return this;
    }

    /** Where this worker's dispatches and stop requests arrive (required). */
    public Builder inbox(DispatchInbox inbox) {
      this.inbox = inbox;
      return this;
    }

    /** The actions this worker has, and how it runs them (required). */
    public Builder actions(ActionCatalog catalog, ActionRunner runner) {
      this.catalog = catalog;
      this.runner = runner;
      return this;
    }

    /** The clock of what others judge (heartbeats, starts, ends): the store's, ideally. System UTC by default. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Told of starts and ends, for metrics. None by default. */
    public Builder observer(ExecutionObserver observer) {
      this.observer = observer;
      return this;
    }

    /** Where ends are announced. None by default: listeners then read the store. */
    public Builder events(ExecutionEvents events) {
      this.events = events;
      return this;
    }

    public Builder settings(WorkerSettings settings) {
      this.settings = settings;
      return this;
    }

    /**
     * Who this process is, as the registry records the holder of the name: by default this JVM (a random id, its
     * process id and start time), which is all a holder on another machine can be judged by. {@code processes}
     * tells whether a process still runs on this machine, for an embedder that knows its boot id and PID namespace.
     */
    public Builder instance(ProcessInstance me, ProcessTable processes) {
      this.instance = Objects.requireNonNull(me, "me");
      this.processes = Objects.requireNonNull(processes, "processes");
      return this;
    }

    /**
     * How long {@link #start()} waits for a holder of the name to be gone (it stopped, or missed three heartbeats),
     * e.g. the earlier process of a service restarted after a crash. Not at all by default.
     */
    public Builder nameWait(Duration wait) {
      this.nameWait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** Told of what went wrong and was dealt with (a failed heartbeat, a hand-on), e.g. to log it. */
    public Builder warnings(Consumer<String> warnings) {
      this.warnings = warnings;
      return this;
    }

    /**
     * Claims the worker's name, hands on what an earlier process under it held, opens its inbox and starts its
     * heartbeats.
     *
     * @throws ConfigurationException when a live process holds the name past {@link #nameWait}: one name has one
     *     live owner, so two processes never run the same dispatches
     */
    public EmbeddedWorker start() {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(executions, "executions");
      Objects.requireNonNull(inbox, "inbox");
      Objects.requireNonNull(catalog, "actions");
      instance = instance != null ? instance : thisJvm();
      WorkerLifecycleService lifecycle = new WorkerLifecycleService(registry, clock, processes);
      RecoverLostExecutionsService recovery = new RecoverLostExecutionsService(directory, registry, executions,
          clock, settings.limits(), observer, events);
      Instant now = clock.instant();
      Worker worker = registered(lifecycle);
      // what the name's entry held before now was placed on an earlier process: gone, so it is handed on
      recovery.recoverHeldBy(worker.id(), "restarted (its earlier process is gone)",
          worker.lastHeartbeatAt().orElse(now));
      return new EmbeddedWorker(this, lifecycle, recovery, worker);
    }

    private Worker registered(WorkerLifecycleService lifecycle) {
      Instant giveUp = clock.instant().plus(nameWait);
      while (true) {
        NameClaim claim = lifecycle.claim(registration());
        if (claim instanceof NameClaim.Claimed claimed) {
          return claimed.worker();
        }
        NameClaim.Held held = (NameClaim.Held) claim;
        if (!clock.instant().isBefore(giveUp)) {
          throw new ConfigurationException("worker name", name, "expected a name no live process holds: "
              + held.why() + (nameWait.isZero() ? "; EmbeddedWorker.Builder.nameWait lets it wait" : ""));
        }
        warnings.accept(held.why() + "; waiting for it to be gone");
        try {
          Thread.sleep(Math.min(1_000, Math.max(100, held.holder().heartbeatInterval().toMillis() / 2)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new ConfigurationException("worker name", name, "interrupted while waiting for the name");
        }
      }
    }

    private ProcessInstance thisJvm() {
      ProcessHandle me = ProcessHandle.current();
      return new ProcessInstance(UUID.randomUUID().toString(), settings.host(), "", "", me.pid(),
          me.info().startInstant().orElse(clock.instant()));
    }

    WorkerRegistration registration() {
      WorkerRegistration registration = new WorkerRegistration(name, settings.type(), settings.host(), capabilities,
          settings.heartbeatInterval());
      return registration.by(instance);
    }
  }
}
