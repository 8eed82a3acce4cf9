package io.attune.worker.core.embed;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.DispatchInbox;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.LostWorkerRecovery;
import io.attune.worker.core.port.out.ProcessTable;
import io.attune.worker.core.port.out.RetryPause;
import io.attune.worker.core.port.out.WorkerLiveness;
import io.attune.worker.core.port.out.WorkerRegistry;
import io.attune.worker.core.port.out.WorkerRuns;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What an {@link EmbeddedWorker} needs, with defaults for what it can do without. */
public final class EmbeddedWorkerBuilder {

  private final String name;
  final Capabilities capabilities;
  WorkerRegistry registry;
  WorkerLiveness directory;
  WorkerRuns executions;
  LostWorkerRecovery recoverable;
  DispatchInbox inbox;
  ActionCatalog catalog;
  ActionRunner runner;
  Clock clock = Clock.systemUTC();
  ExecutionObserver observer = ExecutionObserver.NONE;
  ExecutionEvents events = ExecutionEvents.NONE;
  WorkerSettings settings = WorkerSettings.DEFAULTS;
  ProcessInstance instance;
  ProcessTable processes = (pid, startedAt) -> true;
  Duration nameWait = Duration.ZERO;
  WorkerListener listener = WorkerListener.NONE;
  BooleanSupplier takingWork = () -> true;
  Supplier<Capabilities> advertised;
  RetryPause retryPause = RetryPause.SLEEP;

  EmbeddedWorkerBuilder(String name, Capabilities capabilities) {
    this.name = Objects.requireNonNull(name, "name");
    this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
    this.advertised = () -> capabilities;
  }

  /** Where workers register and beat (required). */
  public EmbeddedWorkerBuilder registry(WorkerRegistry registry) {
    this.registry = registry;
    return this;
  }

  /** Where lost workers are found, to hand on what a gone process held (required). */
  public EmbeddedWorkerBuilder directory(WorkerLiveness directory) {
    this.directory = directory;
    return this;
  }

  /** Where executions are stored: the worker's runs, and the recovery of what it hands on (required). */
  public <E extends WorkerRuns & LostWorkerRecovery> EmbeddedWorkerBuilder executions(E executions) {
    this.executions = executions;
    this.recoverable = executions;
    return this;
  }

  /** Where this worker's dispatches and stop requests arrive (required). */
  public EmbeddedWorkerBuilder inbox(DispatchInbox inbox) {
    this.inbox = inbox;
    return this;
  }

  /** The actions this worker has, and how it runs them (required). */
  public EmbeddedWorkerBuilder actions(ActionCatalog catalog, ActionRunner runner) {
    this.catalog = catalog;
    this.runner = runner;
    return this;
  }

  /** The clock of what others judge (heartbeats, starts, ends): the store's, ideally. System UTC by default. */
  public EmbeddedWorkerBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Told of starts and ends, for metrics. None by default. */
  public EmbeddedWorkerBuilder observer(ExecutionObserver observer) {
    this.observer = observer;
    return this;
  }

  /** Where ends are announced. None by default: listeners then read the store. */
  public EmbeddedWorkerBuilder events(ExecutionEvents events) {
    this.events = events;
    return this;
  }

  public EmbeddedWorkerBuilder settings(WorkerSettings settings) {
    this.settings = settings;
    return this;
  }

  /**
   * Who this process is, as the registry records the holder of the name: by default this JVM (a random id, its
   * process id and start time), which is all a holder on another machine can be judged by. {@code processes}
   * tells whether a process still runs on this machine, for an embedder that knows its boot id and PID namespace.
   */
  public EmbeddedWorkerBuilder instance(ProcessInstance me, ProcessTable processes) {
    this.instance = Objects.requireNonNull(me, "me");
    this.processes = Objects.requireNonNull(processes, "processes");
    return this;
  }

  /**
   * How long {@link #start()} waits for a holder of the name to be gone (it stopped, or missed three heartbeats),
   * e.g. the earlier process of a service restarted after a crash. Not at all by default.
   */
  public EmbeddedWorkerBuilder nameWait(Duration wait) {
    this.nameWait = Objects.requireNonNull(wait, "wait");
    return this;
  }

  /** Told what the session does (a failed heartbeat, a hand-on, the drain), e.g. to log it. Nothing by default. */
  public EmbeddedWorkerBuilder listener(WorkerListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Asked at every heartbeat whether the worker can take work (say, its dispatch queue is consumed): when not, the
   * registry marks it in error and no scheduler places work on it, while what it runs goes on. Always by default.
   */
  public EmbeddedWorkerBuilder takingWork(BooleanSupplier takingWork) {
    this.takingWork = Objects.requireNonNull(takingWork, "takingWork");
    return this;
  }

  /**
   * What the worker advertises now, should the registry forget it and a heartbeat register it again: for a worker
   * whose capabilities change while it runs (re-probed runtimes). The builder's capabilities by default.
   */
  public EmbeddedWorkerBuilder advertising(Supplier<Capabilities> current) {
    this.advertised = Objects.requireNonNull(current, "current");
    return this;
  }

  /** How to wait before storing an outcome again while the store fails, e.g. logging why. Sleeps by default. */
  public EmbeddedWorkerBuilder retryPause(RetryPause pause) {
    this.retryPause = Objects.requireNonNull(pause, "pause");
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
    RecoverLostExecutionsService recovery = new RecoverLostExecutionsService(directory, registry, recoverable,
        clock, settings.limits(), observer, events);
    Worker worker = NameClaimant.claim(lifecycle, recovery, registration(), nameWait, clock, listener);
    return new EmbeddedWorker(this, lifecycle, recovery, worker);
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
