package io.attune.worker.core.model.worker;

import io.attune.worker.core.model.capability.Capabilities;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a starting worker tells the registry about itself; registering the same name again updates the entry.
 *
 * @param instance the process registering, recorded so that every party can tell two processes under one name
 *     apart (see {@link NameOwnership}); empty for an embedder that keeps one process per name itself
 */
public record WorkerRegistration(String name, WorkerType type, String host, Capabilities capabilities,
    Duration heartbeatInterval, Optional<ProcessInstance> instance) {

  /** How often a worker heartbeats unless configured otherwise. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

  public WorkerRegistration {
    Worker.requireValidName(name);
    Objects.requireNonNull(type, "type");
    host = host == null ? "" : host;
    Objects.requireNonNull(capabilities, "capabilities");
    Worker.requirePositive(heartbeatInterval);
    Objects.requireNonNull(instance, "instance");
  }

  /** A registration that records no process instance. */
  public WorkerRegistration(String name, WorkerType type, String host, Capabilities capabilities,
      Duration heartbeatInterval) {
    this(name, type, host, capabilities, heartbeatInterval, Optional.empty());
  }

  /** The same registration by the given process. */
  public WorkerRegistration by(ProcessInstance process) {
    return new WorkerRegistration(name, type, host, capabilities, heartbeatInterval, Optional.of(process));
  }

  /** The same registration advertising other capabilities. */
  public WorkerRegistration withCapabilities(Capabilities advertised) {
    return new WorkerRegistration(name, type, host, advertised, heartbeatInterval, instance);
  }
}
