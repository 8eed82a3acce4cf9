package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What {@code health} says of a worker, whatever the database it read it from. */
class HealthCommandTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

  private static Worker worker(WorkerStatus status, Duration heartbeatAge) {
    return new Worker(new WorkerId(1), "w-1", WorkerType.CONTAINER, "h", status, false,
        Capabilities.builder().runtime(RuntimeName.SHELL).build(), Duration.ofSeconds(30),
        NOW.minus(heartbeatAge), 0);
  }

  @Test
  void a_fresh_active_worker_is_healthy() {
    assertThat(HealthCommand.problem(worker(WorkerStatus.ACTIVE, Duration.ofSeconds(5)), NOW)).isNull();
  }

  @Test
  void a_draining_worker_is_said_to_be_draining() {
    assertThat(HealthCommand.problem(worker(WorkerStatus.DRAINING, Duration.ofSeconds(5)), NOW))
        .isEqualTo("worker w-1 is draining");
  }

  @Test
  void a_stale_worker_says_for_how_long_and_from_when() {
    assertThat(HealthCommand.problem(worker(WorkerStatus.ACTIVE, Duration.ofSeconds(120)), NOW))
        .isEqualTo("worker w-1 has not heartbeated for 120 s (stale after 90 s)");
  }
}
