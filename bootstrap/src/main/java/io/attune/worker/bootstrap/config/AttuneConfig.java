package io.attune.worker.bootstrap.config;

import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.capability.CapabilityDeclaration;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of one process: the file named by {@code ATTUNE_CONFIG} or {@code --config}, with the
 * environment applied on top. Validated on load by {@link ConfigLoader}.
 *
 * @param file the configuration file, when one was read
 * @param environment the process environment it was resolved with (also the source of capability variables)
 * @param interpreters interpreters of custom runtimes, from {@code worker.interpreters}
 * @param dispatchTimeout how long an execution may stay scheduled without starting before the scheduler takes its
 *     dispatch for lost and queues it again
 * @param maxParametersBytes the largest parameters object a submission may carry, as compact JSON in UTF-8
 * @param connectWait how long a starting worker or scheduler waits for PostgreSQL and RabbitMQ to answer
 * @param healthFile where a worker records each heartbeat that reached the database, for the container health check
 *     ({@code ATTUNE_HEALTH_FILE}); none when unset
 * @param fleetViewMaxStaleness how old the scheduler's copy of the fleet may be when it decides
 *     ({@code ATTUNE_FLEET_VIEW_MAX_STALENESS_MS}); zero reads the changes before every decision
 * @param sweepConcurrency how many waiting executions the scheduler's sweep places at once
 *     ({@code ATTUNE_SWEEP_CONCURRENCY})
 * @param reprobeInterval how often a worker with auto-detected runtimes probes its machine again
 *     ({@code ATTUNE_REPROBE_SECONDS}); zero never does
 * @param attemptLimits how many runs ({@code scheduler.max_attempts}) and how many placements that never started
 *     ({@code scheduler.max_redeliveries}) an execution gets
 * @param workerNameWait how long a starting worker waits for its name to be given up by a live process holding it
 *     ({@code ATTUNE_WORKER_NAME_WAIT_SECONDS}, {@code run --wait-for-name}); zero refuses to start at once
 */
public record AttuneConfig(
    Optional<Path> file,
    Map<String, String> environment,
    String workerName,
    WorkerType workerType,
    Duration heartbeatInterval,
    Duration shutdownGrace,
    Duration probeTimeout,
    long outputCapBytes,
    Optional<CapabilityDeclaration> capabilities,
    Map<RuntimeName, Path> interpreters,
    Path packsDirectory,
    Optional<DatabaseConfig> database,
    Optional<BrokerConfig> broker,
    Duration schedulingTimeout,
    Duration dispatchTimeout,
    AttemptLimits attemptLimits,
    long maxParametersBytes,
    Duration connectWait,
    Optional<Path> healthFile,
    Duration fleetViewMaxStaleness,
    int sweepConcurrency,
    Duration reprobeInterval,
    Duration workerNameWait) {

  public AttuneConfig {
    Objects.requireNonNull(file, "file");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(workerName, "workerName");
    Objects.requireNonNull(workerType, "workerType");
    interpreters = Map.copyOf(interpreters);
    Objects.requireNonNull(packsDirectory, "packsDirectory");
    Objects.requireNonNull(healthFile, "healthFile");
    Objects.requireNonNull(fleetViewMaxStaleness, "fleetViewMaxStaleness");
    Objects.requireNonNull(reprobeInterval, "reprobeInterval");
    Objects.requireNonNull(attemptLimits, "attemptLimits");
    Objects.requireNonNull(workerNameWait, "workerNameWait");
  }

  /** How many attempts of an execution may start a run ({@code scheduler.max_attempts}). */
  public int maxAttempts() {
    return attemptLimits.maxRuns();
  }

  /** The same configuration resolved with another environment (a variable the caller sets for the process). */
  public AttuneConfig withEnvironment(Map<String, String> other) {
    return new AttuneConfig(file, other, workerName, workerType, heartbeatInterval, shutdownGrace, probeTimeout,
        outputCapBytes, capabilities, interpreters, packsDirectory, database, broker, schedulingTimeout,
        dispatchTimeout, attemptLimits, maxParametersBytes, connectWait, healthFile, fleetViewMaxStaleness,
        sweepConcurrency, reprobeInterval, workerNameWait);
  }

  /** The same configuration with another wait for a worker name held by a live process. */
  public AttuneConfig withWorkerNameWait(Duration wait) {
    return new AttuneConfig(file, environment, workerName, workerType, heartbeatInterval, shutdownGrace, probeTimeout,
        outputCapBytes, capabilities, interpreters, packsDirectory, database, broker, schedulingTimeout,
        dispatchTimeout, attemptLimits, maxParametersBytes, connectWait, healthFile, fleetViewMaxStaleness,
        sweepConcurrency, reprobeInterval, wait);
  }

  /** Where the configuration came from, for messages. */
  public String describeSource() {
    return file.map(Path::toString).orElse("environment and defaults");
  }

  /** Never prints the environment (it holds credentials). */
  @Override
  public String toString() {
    return "AttuneConfig[file=" + file + ", workerName=" + workerName + ", workerType=" + workerType
        + ", packsDirectory=" + packsDirectory + ", database=" + database + ", broker=" + broker + "]";
  }
}
