package io.attune.worker.adapter.postgres;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Small builders for the adapter's tests. */
final class Fixtures {

  /** Whole microseconds, as PostgreSQL keeps them. */
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {
  }

  /** A local worker offering the runtimes, with the given concurrency limit and a 30 s heartbeat interval. */
  static WorkerRegistration worker(String name, int maxConcurrent, String... runtimes) {
    Capabilities.Builder capabilities = Capabilities.builder().maxConcurrentExecutions(maxConcurrent);
    for (String runtime : runtimes) {
      capabilities.runtime(RuntimeName.of(runtime));
    }
    return new WorkerRegistration(name, WorkerType.LOCAL, "host-" + name, capabilities.build(),
        Duration.ofSeconds(30));
  }

  /** A request to run an action on the runtime, with one parameter. */
  static ExecutionRequest request(String ref, String runtime) {
    return new ExecutionRequest(ActionRequirements.of(ref, RuntimeName.of(runtime)), Map.of("n", 1));
  }
}
