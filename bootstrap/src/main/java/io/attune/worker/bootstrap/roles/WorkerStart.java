package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.cli.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.adapter.rabbitmq.in.DispatchConsumer;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.logging.LogContext;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.bootstrap.wiring.ThisProcess;
import io.attune.worker.core.embed.NameLease;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.in.ResolveCapabilitiesUseCase;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.service.ReprobeCapabilitiesService;
import io.attune.worker.core.service.RunExecutionService;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up of a {@link WorkerRole}: composes the worker from the configuration (capabilities, connections, the
 * name's claim, the heartbeat, the consumers, re-probing) and hands the running parts to the role. A start-up that
 * fails closes what it had opened.
 */
final class WorkerStart {

  /** The role's logger: a start-up's lines are the worker's, and operators filter on its name. */
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRole.class);

  private WorkerStart() {
  }

  /** See {@link WorkerRole#start(AttuneConfig, Map, Clock)}; actions run by {@code runner} when given. */
  static WorkerRole start(AttuneConfig config, Map<String, String> environment, Clock clock,
      Optional<ActionRunner> runner) {
    // every line of the start-up, and of the consumers and the heartbeat it starts, names the worker
    try (LogContext.Scope named = LogContext.worker(config.workerName())) {
      return startNamed(config, environment, clock, runner);
    }
  }

  private static WorkerRole startNamed(AttuneConfig config, Map<String, String> environment, Clock clock,
      Optional<ActionRunner> runner) {
    WorkerHealthTracker health = new WorkerHealthTracker(config.heartbeatInterval()
        .multipliedBy(Worker.STALE_AFTER_MISSED_HEARTBEATS));
    StartUp startUp = new StartUp();
    try {
      // first: /healthz answers and /readyz says why not yet while capabilities are probed and services awaited
      Operations operations = startUp.opened(Operations.start(config, () -> health.readiness(clock.instant())));
      // the packs first: the runtimes they define are probed with the built-in ones; a wrong file is logged and
      // skipped
      PacksDirectoryCatalog catalog = LocalMachine.catalog(config);
      ResolveCapabilitiesUseCase resolution = LocalMachine.capabilityResolution(config, environment,
          catalog.runtimes());
      ResolvedCapabilities resolved = resolution.resolve();
      LOG.info("worker {}: runtimes {} from {}", config.workerName(), resolved.capabilities().runtimes().stream()
          .map(RuntimeName::value).collect(Collectors.joining(",")), resolved.source().wireName());
      resolved.warnings().forEach(w -> LOG.warn("capabilities: {}", w));
      logGpusAndPacks(config.workerName(), resolved.capabilities());
      ProcessInstance me = ThisProcess.instance(hostname());
      WorkerRegistration registration = new WorkerRegistration(config.workerName(), config.workerType(), hostname(),
          resolved.capabilities(), config.heartbeatInterval()).by(me);
      ExecutionObserver observer = operations.observer();
      PostgresAdapter postgres = startUp.opened(Services.postgresForRole(config, clock, LOG::warn));
      RabbitAdapter rabbit = startUp.opened(Services.rabbitForRole(config, clock, "worker " + config.workerName(),
          LOG::warn, observer));
      // the database's time for what others judge (heartbeats, starts, ends); this process's own for its health file
      Clock databaseTime = postgres.clock();
      WorkerLifecycleService lifecycle = new WorkerLifecycleService(postgres.registry(), databaseTime,
          ThisProcess.processTable());
      HandOn handOn = new HandOn(postgres, config, observer, rabbit.events());
      Worker worker = Services.retryingWhileUnreachable("start worker " + config.workerName(), config.connectWait(),
          clock, LOG::warn, () -> {
            Worker registered = WorkerName.claim(lifecycle, registration, config, clock, handOn);
            rabbit.workerQueues().declare(registered.id());
            return registered;
          });
      HealthFile healthFile = new HealthFile(config.healthFile(), worker.name(), worker.staleAfter());
      healthFile.heartbeatStored(clock.instant());
      health.heartbeatStored(clock.instant());
      int slots = resolved.capabilities().maxConcurrentExecutions();
      FollowingRunner actions = new FollowingRunner(
          runner.orElseGet(() -> LocalMachine.runner(config, resolved, environment, catalog.runtimes())));
      // registered just now: the lease starts confirmed
      NameLease lease = new NameLease(config.heartbeatInterval());
      RunExecutionService executions = new RunExecutionService(postgres.executions(), catalog, actions,
          databaseTime, slots, WorkerStart::pauseBeforeRetry, observer, rabbit.events(), lease);
      ReprobeCapabilitiesService reprobe = new ReprobeCapabilitiesService(
          resolution, lifecycle, registration);
      ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
          r -> DaemonThreads.named(r, "heartbeat"));
      startUp.opened(heartbeats::shutdownNow);
      long every = config.heartbeatInterval().toMillis();
      WorkerName.Loss nameLoss = new WorkerName.Loss();
      Heartbeat heartbeat = new Heartbeat(lifecycle, worker, me, reprobe::current, nameLoss::takingWork,
          nameLoss::lost, healthFile, health, clock, lease);
      lease.confirmBy(LogContext.carried(heartbeat));
      heartbeats.scheduleAtFixedRate(LogContext.carried(heartbeat), every, every, TimeUnit.MILLISECONDS);
      // before taking work: a cancel of anything this process runs must reach it
      Subscription stops = Services.retryingWhileUnreachable("consume the stop requests of worker " + worker.name(),
          config.connectWait(), clock, LOG::warn, () -> rabbit.consumeStops(worker.id(), executions));
      heartbeats.scheduleAtFixedRate(LogContext.carried(new CancelSweep(executions, worker)), every, every,
          TimeUnit.MILLISECONDS);
      DispatchConsumer dispatches = Services.retryingWhileUnreachable("consume the dispatches of worker "
          + worker.name(), config.connectWait(), clock, LOG::warn,
          () -> rabbit.consumeDispatches(worker.id(), slots, executions));
      health.registered(dispatches.queue(), rabbit::isOpen,
          () -> dispatches.isActive() && dispatches.isConsuming());
      nameLoss.consuming(dispatches);
      operations.workerGauges(dispatches::running, slots, () -> health.heartbeatAge(clock.instant()));
      LOG.info("worker {} (id {}) registered with {} slots; heartbeat every {} s; consuming {} and stop requests "
          + "on {}", worker.name(), worker.id(), slots, config.heartbeatInterval().toSeconds(), dispatches.queue(),
          stops.queue());
      Reprobing reprobing = startUp.opened(Reprobing.start(worker.name(), resolved.source(),
          config.reprobeInterval(), reprobe, now -> {
            if (runner.isEmpty()) {
              actions.replace(LocalMachine.runner(config, now, environment, catalog.runtimes()));
            }
          }));
      WorkerRole role = new WorkerRole(postgres, rabbit, lifecycle, worker, me, healthFile, heartbeats, dispatches,
          operations, health, reprobing, handOn);
      nameLoss.role(role);
      return role;
    } catch (RuntimeException failed) {
      throw startUp.failed(failed);
    }
  }

  private static void logGpusAndPacks(String name, Capabilities capabilities) {
    if (!capabilities.gpus().isEmpty()) {
      LOG.info("worker {}: {} GPU(s): {}", name, capabilities.gpus().size(), capabilities.gpus().stream()
          .map(Object::toString).collect(Collectors.joining(", ")));
    }
    LOG.info("worker {}: serves {}", name, capabilities.packs().isEmpty() ? "every pack"
        : "packs " + String.join(",", capabilities.packs()));
  }

  private static void pauseBeforeRetry(Duration wait, String reason) throws InterruptedException {
    LOG.warn("{}; trying again in {} ms", reason, wait.toMillis());
    Thread.sleep(wait.toMillis());
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException unknown) {
      return "unknown";
    }
  }
}
