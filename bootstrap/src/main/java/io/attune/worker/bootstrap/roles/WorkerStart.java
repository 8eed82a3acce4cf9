package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.bootstrap.logging.LogContext;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.bootstrap.wiring.Services;
import io.attune.worker.bootstrap.wiring.ThisProcess;
import io.attune.worker.core.embed.EmbeddedWorker;
import io.attune.worker.core.embed.EmbeddedWorkerBuilder;
import io.attune.worker.core.embed.WorkerSettings;
import io.attune.worker.core.error.ConfigurationException;
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
import io.attune.worker.core.service.WorkerLifecycleService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up of a {@link WorkerRole}: composes the worker from the configuration (capabilities, connections, the
 * adapters its core session is told and asked through, re-probing), starts the session (the core's
 * {@link EmbeddedWorker}: the name's claim, the hand-on, the heartbeat, the consumers) and hands the running parts to
 * the role. A start-up that fails closes what it had opened.
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
    Duration staleAfter = config.heartbeatInterval().multipliedBy(Worker.STALE_AFTER_MISSED_HEARTBEATS);
    WorkerHealthTracker health = new WorkerHealthTracker(staleAfter);
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
      WorkerSettings settings = new WorkerSettings(config.workerType(), hostname(), config.heartbeatInterval(),
          config.shutdownGrace(), config.attemptLimits());
      ExecutionObserver observer = operations.observer();
      PostgresAdapter postgres = startUp.opened(Services.postgresForRole(config, clock, LOG::warn));
      RabbitAdapter rabbit = startUp.opened(Services.rabbitForRole(config, clock, "worker " + config.workerName(),
          LOG::warn, observer));
      // the database's time for what others judge (heartbeats, starts, ends); this process's own for its health file
      Clock databaseTime = postgres.clock();
      ReprobeCapabilitiesService reprobe = new ReprobeCapabilitiesService(resolution, new WorkerLifecycleService(
          postgres.registry(), databaseTime, ThisProcess.processTable()), new WorkerRegistration(config.workerName(),
          settings.type(), settings.host(), resolved.capabilities(), settings.heartbeatInterval()).by(me));
      FollowingRunner actions = new FollowingRunner(
          runner.orElseGet(() -> LocalMachine.runner(config, resolved, environment, catalog.runtimes())));
      HealthFile healthFile = new HealthFile(config.healthFile(), config.workerName(), staleAfter);
      SessionListener listener = new SessionListener(config.workerName(), me, healthFile, health, clock,
          id -> rabbit.workerQueues().declare(id));
      RoleInbox inbox = new RoleInbox(rabbit, config, clock, LOG::warn);
      EmbeddedWorkerBuilder session = EmbeddedWorker.builder(config.workerName(), resolved.capabilities())
          .registry(postgres.registry()).directory(postgres.directory()).executions(postgres.executions())
          .inbox(inbox).actions(catalog, actions).clock(databaseTime).observer(observer).events(rabbit.events())
          .settings(settings).instance(me, ThisProcess.processTable()).nameWait(config.workerNameWait())
          .listener(listener).takingWork(inbox::takingWork).advertising(() -> reprobe.current().capabilities())
          .retryPause(WorkerStart::pauseBeforeRetry);
      EmbeddedWorker worker = startUp.opened(Services.retryingWhileUnreachable("start worker "
          + config.workerName(), config.connectWait(), clock, LOG::warn, () -> started(session)));
      int slots = resolved.capabilities().maxConcurrentExecutions();
      health.registered(inbox.queue(), rabbit::isOpen, inbox::consuming);
      operations.workerGauges(worker::running, slots, () -> health.heartbeatAge(clock.instant()));
      LOG.info("worker {} (id {}) registered with {} slots; heartbeat every {} s; consuming {} and stop requests "
          + "on {}", config.workerName(), worker.worker().id(), slots, config.heartbeatInterval().toSeconds(),
          inbox.queue(), inbox.stopQueue());
      Reprobing reprobing = startUp.opened(Reprobing.start(config.workerName(), resolved.source(),
          config.reprobeInterval(), reprobe, now -> {
            if (runner.isEmpty()) {
              actions.replace(LocalMachine.runner(config, now, environment, catalog.runtimes()));
            }
          }));
      return new WorkerRole(postgres, rabbit, worker, operations, health, healthFile, reprobing, listener);
    } catch (RuntimeException failed) {
      throw startUp.failed(failed);
    }
  }

  /** Starts the session; a live holder of the name is refused with the command line's ways out. */
  private static EmbeddedWorker started(EmbeddedWorkerBuilder session) {
    try {
      return session.start();
    } catch (ConfigurationException refused) {
      if (!refused.expected().startsWith(EmbeddedWorker.NAME_HELD)) {
        throw refused;
      }
      throw new ConfigurationException(refused.source(), refused.entry(), EmbeddedWorker.NAME_HELD + ": stop that "
          + "process, start this one under another name (" + ConfigLoader.WORKER_NAME + "), or let it wait for the "
          + "name with --wait-for-name SECONDS (" + ConfigLoader.WORKER_NAME_WAIT + ")");
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
