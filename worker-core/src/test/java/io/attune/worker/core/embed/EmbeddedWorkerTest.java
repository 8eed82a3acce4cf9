package io.attune.worker.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.adapter.out.memory.InMemoryActionCatalog;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The embedded worker's session: start, drain and hand-on, restart under its name, a name another process took. */
class EmbeddedWorkerTest {

  private static final ActionDefinition HELLO = ActionDefinition.simple("demo.hello", RuntimeName.SHELL, "hello.sh");
  private static final Capabilities SHELL = Capabilities.builder().runtime(RuntimeName.SHELL)
      .maxConcurrentExecutions(1).build();
  /** Heartbeats every 20 ms, for the tests of what a heartbeat does. */
  private static final WorkerSettings FAST_BEATS = WorkerSettings.DEFAULTS.withHeartbeatInterval(
      Duration.ofMillis(20));

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final InProcessDispatcher dispatcher = new InProcessDispatcher();
  private final CountDownLatch running = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final ActionRunner waitsForRelease = (id, action, parameters) -> {
    running.countDown();
    try {
      boolean released = release.await(30, TimeUnit.SECONDS);
      return new ActionRunner.Outcome(released ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED,
          ExecutionResult.message(released ? "released" : "never released"));
    } catch (InterruptedException interrupted) {
      return new ActionRunner.Outcome(ExecutionStatus.CANCELLED, ExecutionResult.message("interrupted"));
    }
  };

  private EmbeddedWorkerBuilder worker(String name, ActionRunner runner, WorkerSettings settings) {
    return EmbeddedWorker.builder(name, SHELL).registry(registry).directory(registry).executions(store)
        .inbox(dispatcher).actions(new InMemoryActionCatalog(List.of(HELLO)), runner).settings(settings).clock(clock);
  }

  private Execution dispatchedTo(EmbeddedWorker worker) {
    Execution requested = store.create(new ExecutionRequest(ActionRequirements.of("demo.hello", RuntimeName.SHELL),
        Map.of()), clock.instant());
    Execution placed = ((Assignment.Assigned) store.assign(requested.id(), worker.worker().id(),
        clock.instant())).execution();
    dispatcher.dispatch(placed, worker.worker());
    return placed;
  }

  private Execution stored(ExecutionId id) {
    return store.find(id).orElseThrow();
  }

  @Test
  void close_lets_what_runs_finish_within_the_grace_then_marks_the_worker_inactive() throws Exception {
    EmbeddedWorker worker = worker("w", waitsForRelease, WorkerSettings.DEFAULTS).start();
    Execution execution = dispatchedTo(worker);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    Thread closing = new Thread(worker::close);
    closing.start();
    release.countDown();
    closing.join(30_000);

    assertThat(stored(execution.id()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(registry.byName("w").orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
  }

  @Test
  void what_runs_past_the_grace_is_handed_on_to_another_worker() throws Exception {
    EmbeddedWorker worker = worker("w", waitsForRelease, WorkerSettings.DEFAULTS.withDrainGrace(Duration.ZERO))
        .start();
    Execution execution = dispatchedTo(worker);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    worker.close();

    Execution handedOn = stored(execution.id());
    assertThat(handedOn.status()).as("requeued for another worker").isEqualTo(ExecutionStatus.REQUESTED);
    assertThat(handedOn.worker()).isEmpty();
    assertThat(registry.byName("w").orElseThrow().status()).isEqualTo(WorkerStatus.INACTIVE);
  }

  @Test
  void a_worker_that_starts_again_under_its_name_once_the_earlier_process_is_gone_hands_on_what_it_held()
      throws Exception {
    EmbeddedWorker earlier = worker("w", waitsForRelease, WorkerSettings.DEFAULTS).start();
    Execution held = dispatchedTo(earlier);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    // the earlier process is killed without closing: it misses three heartbeats, then a new one starts
    clock.advance(earlier.worker().staleAfter().plusSeconds(1));
    try (EmbeddedWorker again = worker("w", (id, a, p) -> new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED,
        ExecutionResult.message("ok")), WorkerSettings.DEFAULTS).start()) {
      assertThat(again.worker().id()).isEqualTo(earlier.worker().id());
      assertThat(stored(held.id()).status()).isEqualTo(ExecutionStatus.REQUESTED);
      assertThat(stored(held.id()).worker()).isEmpty();
    }
    release.countDown();
  }

  @Test
  void a_second_process_under_a_live_name_is_refused_so_nothing_runs_twice() {
    try (EmbeddedWorker holder = worker("w", waitsForRelease, WorkerSettings.DEFAULTS).start()) {
      assertThatThrownBy(() -> worker("w", waitsForRelease, WorkerSettings.DEFAULTS).start())
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("worker name")
          .hasMessageContaining("no live worker process holds");
      assertThatThrownBy(() -> worker("w", waitsForRelease, WorkerSettings.DEFAULTS)
          .instance(new ProcessInstance("second", "h", "boot", "pid:[1]", 2, Instant.now()), (pid, at) -> true)
          .start()).isInstanceOf(ConfigurationException.class);
      assertThat(holder.lostName()).isEmpty();
    }
  }

  @Test
  void a_second_process_waiting_for_the_name_takes_it_once_the_holder_closed() throws Exception {
    // the system's clock: the wait for the name is measured by it
    EmbeddedWorker holder = worker("w", waitsForRelease, WorkerSettings.DEFAULTS).clock(Clock.systemUTC()).start();
    Thread closing = new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      holder.close();
    });
    closing.start();

    try (EmbeddedWorker next = worker("w", waitsForRelease, WorkerSettings.DEFAULTS).clock(Clock.systemUTC())
        .nameWait(Duration.ofSeconds(30)).start()) {
      assertThat(next.worker().id()).isEqualTo(holder.worker().id());
      assertThat(registry.byName("w").orElseThrow().status()).isEqualTo(WorkerStatus.ACTIVE);
    }
    closing.join(10_000);
  }

  @Test
  void the_listener_hears_the_claim_the_take_over_with_what_was_handed_on_the_drain_and_the_end() throws Exception {
    EmbeddedWorker earlier = worker("w", waitsForRelease, WorkerSettings.DEFAULTS).start();
    Execution held = dispatchedTo(earlier);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    clock.advance(earlier.worker().staleAfter().plusSeconds(1));
    Heard heard = new Heard();

    EmbeddedWorker again = worker("w", (id, a, p) -> new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED,
        ExecutionResult.message("ok")), WorkerSettings.DEFAULTS).listener(heard).start();
    again.close();
    release.countDown();

    assertThat(heard.said).containsExactly("claimed w", "took over: handed on [" + held.id() + "]",
        "draining 0", "inactive");
  }

  @Test
  void a_worker_that_cannot_take_work_says_so_at_each_heartbeat_and_the_registry_marks_it_in_error()
      throws Exception {
    Heard heard = new Heard();
    try (EmbeddedWorker worker = worker("w", waitsForRelease, FAST_BEATS).takingWork(() -> false).listener(heard)
        .start()) {
      awaitTrue(() -> registry.byName("w").orElseThrow().status() == WorkerStatus.ERROR);

      assertThat(heard.said).contains("beat taking no work");
      assertThat(worker.lostName()).isEmpty();
    }
  }

  @Test
  void a_worker_the_registry_forgot_registers_again_with_what_it_advertises_now() throws Exception {
    Capabilities reprobed = Capabilities.builder().runtime(RuntimeName.SHELL).runtime(RuntimeName.PYTHON)
        .maxConcurrentExecutions(1).build();
    Heard heard = new Heard();
    try (EmbeddedWorker worker = worker("w", waitsForRelease, FAST_BEATS).advertising(() -> reprobed)
        .listener(heard).start()) {
      registry.markInactive(worker.worker().id());
      assertThat(registry.prune(clock.instant(), Duration.ZERO)).containsExactly("w");

      awaitTrue(() -> registry.byName("w").isPresent());

      assertThat(registry.byName("w").orElseThrow().capabilities().runtimes()).contains(RuntimeName.PYTHON);
      awaitTrue(() -> heard.said.contains("registered again"));
    }
  }

  @Test
  void a_worker_whose_name_another_process_took_touches_nothing_of_it_when_closed() {
    Heard heard = new Heard();
    EmbeddedWorker earlier = worker("w", waitsForRelease, WorkerSettings.DEFAULTS).listener(heard).start();
    clock.advance(earlier.worker().staleAfter().plusSeconds(1));
    try (EmbeddedWorker successor = worker("w", waitsForRelease, WorkerSettings.DEFAULTS).start()) {

      earlier.close();

      assertThat(earlier.lostName()).hasValueSatisfying(why -> assertThat(why).contains("another process"));
      assertThat(heard.said).containsExactly("claimed w", "name lost");
      assertThat(registry.byName("w").orElseThrow().status()).as("the successor's").isEqualTo(WorkerStatus.ACTIVE);
      assertThat(successor.lostName()).isEmpty();
    }
  }

  /** Waits up to ten seconds for the condition: a bound on a wait, not on how fast anything is. */
  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 1_000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  /** What the listener was told, in order. */
  private static final class Heard implements WorkerListener {
    final List<String> said = new CopyOnWriteArrayList<>();

    @Override
    public void claimed(Worker worker) {
      said.add("claimed " + worker.name());
    }

    @Override
    public void tookOver(NameHolder earlier, String why,
        Recovery handedOn) {
      said.add("took over: handed on " + handedOn.requeued().stream().map(Execution::id).toList());
    }

    @Override
    public void beatRecorded(boolean takingWork) {
      if (!takingWork && !said.contains("beat taking no work")) {
        said.add("beat taking no work");
      }
    }

    @Override
    public void registeredAgain(Worker again) {
      said.add("registered again");
    }

    @Override
    public void draining(int running, Duration grace) {
      said.add("draining " + running);
    }

    @Override
    public void inactive() {
      said.add("inactive");
    }

    @Override
    public void nameLost(String why) {
      said.add("name lost");
    }
  }
}
