package io.attune.worker.core.model.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who holds a worker name in the registry, as far as telling whether another process may take it over goes.
 *
 * @param instance the process that registered it last; empty for an entry written before instances were recorded
 * @param lastHeartbeat empty when it never heartbeat
 */
public record NameHolder(WorkerId worker, String name, Optional<ProcessInstance> instance, WorkerStatus status,
    Optional<Instant> lastHeartbeat, Duration heartbeatInterval) {

  public NameHolder {
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
  }

  /** True while its heartbeat is younger than the staleness limit of {@link Worker#isFresh}. */
  public boolean isFresh(Instant now) {
    return lastHeartbeat.map(last -> last.plus(heartbeatInterval.multipliedBy(Worker.STALE_AFTER_MISSED_HEARTBEATS))
        .isAfter(now)).orElse(false);
  }

  /** The age of the last heartbeat at {@code now}, in whole seconds, for messages; -1 when none. */
  public long heartbeatAgeSeconds(Instant now) {
    return lastHeartbeat.map(last -> Duration.between(last, now).toSeconds()).orElse(-1L);
  }
}
