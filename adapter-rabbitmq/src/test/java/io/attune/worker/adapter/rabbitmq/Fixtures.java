package io.attune.worker.adapter.rabbitmq;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.testkit.WorkerFixture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Workers and executions for the transport tests, with ids that do not collide between tests. */
public final class Fixtures {

  static final Instant NOW = Instant.parse("2026-03-01T10:15:30Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static final AtomicLong EXECUTION_IDS = new AtomicLong(System.currentTimeMillis());

  private Fixtures() {
  }

  static Worker worker(WorkerId id) {
    Worker template = WorkerFixture.aWorker("worker-" + id.value()).runtimes("shell").build(NOW);
    return new Worker(id, template.name(), template.type(), template.host(), template.status(), false,
        template.capabilities(), template.heartbeatInterval(), NOW, 0);
  }

  static ExecutionId nextExecutionId() {
    return new ExecutionId(EXECUTION_IDS.incrementAndGet());
  }

  /** An execution placed on the worker: attempt 1. */
  static Execution scheduledOn(WorkerId worker, Map<String, Object> parameters) {
    ExecutionRequest request = new ExecutionRequest(ActionRequirements.of("core.echo", RuntimeName.of("shell")),
        parameters);
    return Execution.requested(nextExecutionId(), request, NOW).schedule(worker, NOW).execution();
  }

  /** An execution with the given id that ran attempt 1 on some worker and ended as {@code outcome}. */
  static Execution endedAs(ExecutionId id, ExecutionStatus outcome) {
    ExecutionRequest request = new ExecutionRequest(ActionRequirements.of("core.echo", RuntimeName.of("shell")),
        Map.of());
    WorkerId worker = TestBroker.uniqueWorker();
    Execution started = Execution.requested(id, request, NOW).schedule(worker, NOW).execution()
        .start(1, worker, NOW).execution();
    return started.finish(1, outcome, ExecutionResult.message("ended"), NOW).execution();
  }

  /**
   * The bytes of a well-formed envelope, its payload as given, padded with a field no reader knows to exactly
   * {@code size} bytes: a message of any size that is valid but for its size.
   */
  public static byte[] paddedEnvelope(String type, UUID messageId, String payloadJson, int size) {
    String head = "{\"message_id\":\"" + messageId + "\",\"message_type\":\"" + type
        + "\",\"timestamp\":\"2026-03-01T10:15:30Z\",\"payload\":" + payloadJson + ",\"padding\":\"";
    String tail = "\"}";
    int padding = size - head.length() - tail.length();
    if (padding < 0) {
      throw new IllegalArgumentException("an envelope needs at least " + (head.length() + tail.length()) + " bytes");
    }
    return (head + "x".repeat(padding) + tail).getBytes(StandardCharsets.UTF_8);
  }
}
