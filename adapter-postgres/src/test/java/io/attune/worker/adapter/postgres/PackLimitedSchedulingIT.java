package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.AttemptLimits;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.rule.RejectionCode;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workers limited to some packs, on PostgreSQL: the packs they serve are stored with their capabilities and read
 * back by the scheduler, an action goes only to a worker serving its pack, and an action of a pack no worker serves
 * is stored {@code unschedulable} with {@code pack_not_served} in its explanation.
 */
class PackLimitedSchedulingIT {

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("pack_limited");

  private final MutableClock clock = new MutableClock(NOW);

  @Test
  void an_action_goes_only_to_a_worker_serving_its_pack_and_one_nobody_serves_is_unschedulable() {
    db.truncate();
    Worker ml = db.adapter().registry().register(limitedTo("ml-worker", "ml"), NOW);
    Worker core = db.adapter().registry().register(limitedTo("core-worker", "core", "demo"), NOW);
    assertThat(db.adapter().directory().byId(ml.id()).orElseThrow().capabilities().packs()).containsExactly("ml");
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    dispatcher.subscribe(ml.id(), execution -> { });
    dispatcher.subscribe(core.id(), execution -> { });
    ExecutionStore store = db.adapter().executions();
    ScheduleExecutionService scheduler = new ScheduleExecutionService(db.adapter().directory(), store, dispatcher,
        PlacementPolicy.standard(), clock, ExecutionObserver.NONE,
            AttemptLimits.ofRuns(AttemptLimits.DEFAULT_MAX_RUNS), ExecutionEvents.NONE);

    Scheduling train = scheduler.schedule(store.create(request("ml.train"), NOW));
    Scheduling hello = scheduler.schedule(store.create(request("demo.hello"), NOW));
    Scheduling bill = scheduler.schedule(store.create(request("billing.charge"), NOW));

    assertThat(((Scheduling.Dispatched) train).worker().name()).isEqualTo("ml-worker");
    assertThat(((Scheduling.Dispatched) hello).worker().name()).isEqualTo("core-worker");
    assertThat(bill).isInstanceOf(Scheduling.Unschedulable.class);
    var stored = store.find(bill.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(ExecutionStatus.UNSCHEDULABLE);
    assertThat(((Scheduling.Unschedulable) bill).explanation().workers()).allSatisfy(assessment ->
        assertThat(assessment.rejections()).anySatisfy(rejection -> {
          assertThat(rejection.code()).isEqualTo(RejectionCode.PACK_NOT_SERVED);
          assertThat(rejection.detail()).contains("billing");
        }));
    assertThat(stored.result().orElseThrow().structured().orElseThrow().toString()).contains("pack_not_served");
  }

  private static WorkerRegistration limitedTo(String name, String... packs) {
    return new WorkerRegistration(name, WorkerType.LOCAL, "host-" + name, Capabilities.builder()
        .runtime(RuntimeName.SHELL).maxConcurrentExecutions(2).packs(List.of(packs)).build(), Duration.ofSeconds(30));
  }

  private static ExecutionRequest request(String ref) {
    return new ExecutionRequest(ActionRequirements.of(ref, RuntimeName.SHELL), Map.of());
  }
}
