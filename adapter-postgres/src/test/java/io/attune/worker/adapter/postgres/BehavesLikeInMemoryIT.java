package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionQuery;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drives the PostgreSQL adapter and the in-memory reference adapter through the same long random sequence of
 * operations, legal and illegal, and requires the same answer from both at every step: same assignments, same
 * applied or refused transitions (with the same reasons), same workers, queues and held executions.
 */
class BehavesLikeInMemoryIT {

  private static final int WORKERS = 3;
  private static final int EXECUTIONS = 12;
  private static final int STEPS = 400;
  private static final List<ExecutionStatus> OUTCOMES = List.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
      ExecutionStatus.TIMED_OUT, ExecutionStatus.CANCELLED, ExecutionStatus.ABANDONED);

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("differential");

  private record Side(WorkerRegistry registry, WorkerDirectory directory, ExecutionStore store) {
  }

  private Side postgres;
  private Side memory;

  @BeforeEach
  void bothEmpty() {
    db.truncate();
    postgres = new Side(db.adapter().registry(), db.adapter().directory(), db.adapter().executions());
    InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
    memory = new Side(registry, registry, new InMemoryExecutionStore(registry));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2})
  void every_answer_and_every_state_equals_the_in_memory_adapter(long seed) {
    Random random = new Random(seed);
    same(side -> List.of(
        side.registry().register(worker("w-1", 1, "shell"), NOW),
        side.registry().register(worker("w-2", 2, "shell", "python"), NOW),
        side.registry().register(worker("w-3", 3, "python"), NOW)));
    for (int i = 0; i < EXECUTIONS; i++) {
      Map<String, Object> parameters = Map.of("i", i);
      ExecutionRequest request = new ExecutionRequest(
          ActionRequirements.of("pack.a" + i % 3, i % 2 == 0 ? RuntimeName.SHELL : RuntimeName.PYTHON), parameters);
      Instant at = NOW.plusSeconds(EXECUTIONS - i);
      same(side -> side.store().create(request, at));
    }

    for (int i = 0; i < STEPS; i++) {
      int step = i;
      Instant now = NOW.plusSeconds(10L * step);
      ExecutionId id = new ExecutionId(1 + random.nextInt(EXECUTIONS));
      WorkerId worker = new WorkerId(1 + random.nextInt(WORKERS));
      int attempt = memory.store().find(id).orElseThrow().attempt() + (random.nextInt(5) == 0 ? -1 : 0);
      int op = random.nextInt(10);
      String what = "step " + step + " op " + op + " on execution " + id;
      switch (op) {
        case 0, 1, 2 -> same(what, side -> side.store().assign(id, worker, now));
        case 3 -> same(what, side -> side.store().start(id, attempt, worker, now));
        case 4 -> {
          ExecutionStatus outcome = OUTCOMES.get(random.nextInt(OUTCOMES.size()));
          ExecutionResult result = new ExecutionResult(Optional.of(random.nextInt(3)), "out " + step, "",
              Map.of("step", step), "ended at step " + step);
          same(what, side -> side.store().finish(id, attempt, outcome, result, now));
        }
        case 5 -> {
          boolean requeue = random.nextBoolean();
          same(what, side -> side.store().recover(id, attempt, requeue, "lost at step " + step, now));
        }
        case 6 -> {
          same(what, side -> side.store().requestCancel(id, "cancel requested at step " + step, now));
        }
        case 7 -> same(what, side -> side.store().markUnschedulable(id,
            ExecutionResult.structured(Map.of("outcome", "unschedulable"), "none fits"), now));
        case 8 -> same(what, side -> side.registry().heartbeat(worker, now));
        default -> same(what, side -> side.registry().markInactive(worker));
      }
      same(what + ": workers", side -> side.directory().all());
      same(what + ": waiting", side -> side.store().waiting());
      same(what + ": held by " + worker, side -> side.store().heldBy(worker));
      same(what + ": lost", side -> side.store().heldByLostWorkers(now.plusSeconds(60)));
      same(what + ": stale", side -> side.directory().staleActive(now.plusSeconds(60)));
      same(what + ": newest", side -> side.store().list(ExecutionQuery.newest(5)));
    }
    same("finally", side -> {
      List<Execution> all = new java.util.ArrayList<>();
      for (int i = 1; i <= EXECUTIONS; i++) {
        all.add(side.store().find(new ExecutionId(i)).orElseThrow());
      }
      return all;
    });
  }

  private <T> void same(Function<Side, T> operation) {
    same("setup", operation);
  }

  private <T> void same(String what, Function<Side, T> operation) {
    T expected = operation.apply(memory);
    T actual = operation.apply(postgres);
    assertThat(actual).as(what).isEqualTo(expected);
  }
}
