package io.attune.worker.core.model.worker;

import io.attune.worker.core.model.capability.Capabilities;
import java.time.Duration;
import java.util.Objects;

/**
 * What a starting worker tells the registry about itself; registering the same name again updates the entry.
 */
public record WorkerRegistration(
    String name, WorkerType type, String host, Capabilities capabilities, Duration heartbeatInterval) {

  /** How often a worker heartbeats unless configured otherwise. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

  public WorkerRegistration {
    Worker.requireValidName(name);
    Objects.requireNonNull(type, "type");
    host = host == null ? "" : host;
    Objects.requireNonNull(capabilities, "capabilities");
    Worker.requirePositive(heartbeatInterval);
  }
}
