package io.attune.worker.core.embed;

import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import java.time.Duration;
import java.util.Objects;

/**
 * How an embedded worker runs.
 *
 * @param type what kind of worker it registers as
 * @param host the host it registers with, for people reading the registry
 * @param heartbeatInterval how often it beats; it is judged lost after three silent intervals
 * @param drainGrace how long {@code close()} lets running executions finish before it hands them on
 * @param limits how many runs an execution it held gets when it hands one on
 */
public record WorkerSettings(WorkerType type, String host, Duration heartbeatInterval, Duration drainGrace,
    AttemptLimits limits) {

  /** A local worker on this host, beating every 30 s, draining for 30 s, with the default attempt limits. */
  public static final WorkerSettings DEFAULTS = new WorkerSettings(WorkerType.LOCAL, "localhost",
      WorkerRegistration.DEFAULT_HEARTBEAT_INTERVAL, Duration.ofSeconds(30),
      AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS));

  public WorkerSettings {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(limits, "limits");
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive, was " + heartbeatInterval);
    }
    if (drainGrace.isNegative()) {
      throw new IllegalArgumentException("drain grace must not be negative, was " + drainGrace);
    }
  }

  public WorkerSettings withHeartbeatInterval(Duration interval) {
    return new WorkerSettings(type, host, interval, drainGrace, limits);
  }

  public WorkerSettings withDrainGrace(Duration grace) {
    return new WorkerSettings(type, host, heartbeatInterval, grace, limits);
  }

  public WorkerSettings withHost(String name) {
    return new WorkerSettings(type, name, heartbeatInterval, drainGrace, limits);
  }
}
