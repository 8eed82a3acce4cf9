package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.adapter.out.memory.InMemoryActionCatalog;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.retry.Backoff;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.RunExecutionUseCase.Handling;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.RetryPause;
import io.attune.worker.core.port.out.WorkerLease;
import io.attune.worker.core.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunExecutionServiceTest {

  private static final ActionDefinition HELLO = ActionDefinition.simple("demo.hello", RuntimeName.SHELL, "hello.sh");

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
  private final InMemoryActionCatalog catalog = new InMemoryActionCatalog(List.of(HELLO));
  private final Worker worker = registry.register(new WorkerRegistration("w", WorkerType.LOCAL, "h",
      Capabilities.builder().runtime(RuntimeName.SHELL).maxConcurrentExecutions(10).build(),
      Duration.ofSeconds(30)), clock.instant());

  private Execution dispatched(String actionRef, Map<String, Object> parameters) {
    Execution created = store.create(new ExecutionRequest(ActionRequirements.of(actionRef, RuntimeName.SHELL),
        parameters), clock.instant());
    return ((Assignment.Assigned) store.assign(created.id(), worker.id(), clock.instant())).execution();
  }

  private Execution stored(Execution execution) {
    return store.find(execution.id()).orElseThrow();
  }

  @Test
  void the_action_runs_and_its_outcome_is_recorded_and_the_slot_freed() {
    List<String> calls = new ArrayList<>();
    ActionRunner runner = (id, action, parameters) -> {
      calls.add(id + " " + action.ref() + " " + parameters);
      return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED,
          new ExecutionResult(Optional.of(0), "hello Ada\n", "", Map.of("greeting", "hello Ada"), "exit code 0"));
    };
    Execution execution = dispatched("demo.hello", Map.of("name", "Ada"));
    clock.advance(Duration.ofSeconds(5));

    Transition t = new RunExecutionService(store, catalog, runner, clock, 2, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS).run(execution);

    assertThat(t.applied()).isTrue();
    assertThat(calls).containsExactly(execution.id() + " demo.hello {name=Ada}");
    Execution done = stored(execution);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.startedAt()).contains(clock.instant());
    assertThat(done.result().orElseThrow().stdout()).isEqualTo("hello Ada\n");
    assertThat(done.result().orElseThrow().structured()).contains(Map.of("greeting", "hello Ada"));
    assertThat(registry.byId(worker.id()).orElseThrow().running()).isZero();
  }

  @Test
  void a_failed_or_timed_out_run_is_recorded_as_such() {
    Execution failed = dispatched("demo.hello", Map.of());
    Execution slow = dispatched("demo.hello", Map.of());
    ActionRunner runner = (id, action, parameters) -> id.equals(failed.id())
        ? new ActionRunner.Outcome(ExecutionStatus.FAILED, new ExecutionResult(Optional.of(3), "", "boom", null,
            "exit code 3"))
        : new ActionRunner.Outcome(ExecutionStatus.TIMED_OUT, ExecutionResult.message("timed out after 300s"));
    RunExecutionService service = new RunExecutionService(store, catalog, runner, clock, 2, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);

    service.run(failed);
    service.run(slow);

    assertThat(stored(failed).status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(stored(failed).result().orElseThrow().exitCode()).contains(3);
    assertThat(stored(slow).status()).isEqualTo(ExecutionStatus.TIMED_OUT);
  }

  @Test
  void an_action_not_installed_on_this_worker_fails_without_running() {
    AtomicInteger runs = new AtomicInteger();
    Execution execution = dispatched("other.missing", Map.of());

    new RunExecutionService(store, catalog, countingRunner(runs), clock, 1, RetryPause.SLEEP, ExecutionObserver.NONE,
        ExecutionEvents.NONE, WorkerLease.ALWAYS).run(execution);

    assertThat(runs).hasValue(0);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(stored(execution).result().orElseThrow().message())
        .isEqualTo("action other.missing is not installed on this worker");
  }

  @Test
  void an_action_the_catalog_skipped_fails_without_running_and_says_why() {
    AtomicInteger runs = new AtomicInteger();
    Execution execution = dispatched("other.broken", Map.of());
    ActionCatalog skipping = new ActionCatalog() {
      @Override
      public Optional<ActionDefinition> find(ActionRef ref) {
        return catalog.find(ref);
      }

      @Override
      public List<ActionDefinition> all() {
        return catalog.all();
      }

      @Override
      public Optional<String> problem(ActionRef ref) {
        return ref.toString().equals("other.broken") ? Optional.of("broken.yaml: runtime: is required")
            : Optional.empty();
      }
    };

    new RunExecutionService(store, skipping, countingRunner(runs), clock, 1, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS).run(execution);

    assertThat(runs).hasValue(0);
    assertThat(stored(execution).result().orElseThrow().message())
        .isEqualTo("action other.broken cannot run on this worker: broken.yaml: runtime: is required");
  }

  @Test
  void an_execution_recovered_elsewhere_before_it_started_is_refused_and_not_run() {
    AtomicInteger runs = new AtomicInteger();
    Execution execution = dispatched("demo.hello", Map.of());
    store.recover(execution.id(), execution.attempt(), true, "worker lost", clock.instant());

    Transition t = new RunExecutionService(store, catalog, countingRunner(runs), clock, 1, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS).run(execution);

    assertThat(t).isInstanceOf(Transition.Refused.class);
    assertThat(runs).hasValue(0);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.REQUESTED);
  }

  @Test
  void a_result_for_an_attempt_recovered_while_running_is_refused_once_another_attempt_runs() {
    Execution execution = dispatched("demo.hello", Map.of());
    Worker rescuer = registry.register(new WorkerRegistration("rescuer", WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).build(), Duration.ofSeconds(30)), clock.instant());
    ActionRunner runnerLosingItsWorker = (id, action, parameters) -> {
      // while the process runs, the liveness monitor gives the execution to another attempt, which starts
      store.recover(id, execution.attempt(), true, "worker lost", clock.instant());
      store.assign(id, rescuer.id(), clock.instant());
      store.start(id, execution.attempt() + 1, rescuer.id(), clock.instant());
      return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("done"));
    };

    Transition t = new RunExecutionService(store, catalog, runnerLosingItsWorker, clock, 1, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS).run(execution);

    assertThat(t).isInstanceOf(Transition.Refused.class);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(stored(execution).worker()).contains(rescuer.id());
  }

  @Test
  void a_result_for_an_attempt_recovered_while_running_ends_the_execution_when_nothing_else_started() {
    Execution execution = dispatched("demo.hello", Map.of());
    ActionRunner runnerJudgedLost = (id, action, parameters) -> {
      // the worker paused past three heartbeats: the monitor requeued the attempt while its process ran on
      store.recover(id, execution.attempt(), true, "worker lost", clock.instant());
      return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("done"));
    };

    Transition t = new RunExecutionService(store, catalog, runnerJudgedLost, clock, 1, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS).run(execution);

    assertThat(t.applied()).isTrue();
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(stored(execution).attempts().get(0).reason()).contains("after the attempt had been requeued");
  }

  @Test
  void no_more_actions_run_at_once_than_the_concurrency_limit() throws Exception {
    int limit = 2;
    int executions = 5;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ActionRunner blocking = (id, action, parameters) -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight.decrementAndGet();
      return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"));
    };
    RunExecutionService service = new RunExecutionService(store, catalog, blocking, clock, limit, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    List<Execution> dispatched = new ArrayList<>();
    for (int i = 0; i < executions; i++) {
      dispatched.add(dispatched("demo.hello", Map.of()));
    }
    List<Transition> results = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Execution e : dispatched) {
      Thread thread = new Thread(() -> results.add(service.run(e)), "run-" + e.id());
      threads.add(thread);
      thread.start();
    }

    // every thread is parked: two inside the runner, the others waiting for a slot
    awaitAllWaiting(threads);
    assertThat(inFlight).hasValue(limit);
    release.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    assertThat(maxInFlight).hasValue(limit);
    assertThat(results).hasSize(executions).allSatisfy(t -> assertThat(t.applied()).isTrue());
    assertThat(dispatched).allSatisfy(e -> assertThat(stored(e).status()).isEqualTo(ExecutionStatus.SUCCEEDED));
  }

  @Test
  void the_concurrency_limit_must_be_positive() {
    assertThatThrownBy(() -> new RunExecutionService(store, catalog, countingRunner(new AtomicInteger()), clock, 0,
        RetryPause.SLEEP, ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }

  @Test
  void an_outcome_must_be_one_a_run_can_have() {
    assertThatThrownBy(() -> new ActionRunner.Outcome(ExecutionStatus.RUNNING, ExecutionResult.message("x")))
        .hasMessageContaining("running is not an outcome");
    assertThatThrownBy(() -> new ActionRunner.Outcome(ExecutionStatus.ABANDONED, ExecutionResult.message("x")))
        .hasMessageContaining("abandoned is not an outcome");
  }

  /** A store whose {@code finish} fails the first {@code failures} times, like a database that restarts. */
  private static final class FlakyFinish extends DelegatingStore {
    private final AtomicInteger failuresLeft;

    FlakyFinish(ExecutionStore delegate, int failures) {
      super(delegate);
      this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public Transition finish(ExecutionId id, int attempt, ExecutionStatus outcome, ExecutionResult result,
        Instant now) {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new InfrastructureException("finish execution " + id, "connection refused");
      }
      return delegate.finish(id, attempt, outcome, result, now);
    }
  }

  @Test
  void an_outcome_the_store_fails_to_record_is_retried_with_backoff_until_it_is_stored() {
    // issue 10, scenario 1: the database restarts while the action ends
    AtomicInteger runs = new AtomicInteger();
    List<Duration> pauses = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    RunExecutionService service = new RunExecutionService(new FlakyFinish(store, 5), catalog, countingRunner(runs),
        clock, 1, (wait, reason) -> {
          pauses.add(wait);
          reasons.add(reason);
        }, ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());

    Transition t = service.run(execution);

    assertThat(t.applied()).isTrue();
    assertThat(runs).as("the action ran once").hasValue(1);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(registry.byId(worker.id()).orElseThrow().running()).isZero();
    assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
        Duration.ofMillis(1600), Duration.ofMillis(3200));
    assertThat(reasons.get(0)).contains("succeeded outcome of execution " + execution.id())
        .contains("failure 1").contains("connection refused");
  }

  @Test
  void the_backoff_grows_to_its_longest_wait_and_stays_there() {
    List<Duration> pauses = new ArrayList<>();
    RunExecutionService service = new RunExecutionService(new FlakyFinish(store, 9), catalog,
        countingRunner(new AtomicInteger()), clock, 1, (wait, reason) -> pauses.add(wait), ExecutionObserver.NONE,
            ExecutionEvents.NONE, WorkerLease.ALWAYS);

    service.run(dispatched("demo.hello", Map.of()));

    assertThat(pauses).hasSize(9).endsWith(Backoff.OUTCOMES.longest(), Backoff.OUTCOMES.longest());
    assertThat(pauses).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Backoff.OUTCOMES.longest()));
  }

  @Test
  void a_refusal_by_fencing_ends_the_retries_at_once() {
    Execution execution = dispatched("demo.hello", Map.of());
    List<Duration> pauses = new ArrayList<>();
    Worker rescuer = registry.register(new WorkerRegistration("rescuer", WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).build(), Duration.ofSeconds(30)), clock.instant());
    ActionRunner lostMeanwhile = (id, action, parameters) -> {
      store.recover(id, 1, true, "worker presumed lost", clock.instant());
      store.assign(id, rescuer.id(), clock.instant());
      store.start(id, 2, rescuer.id(), clock.instant());
      return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"));
    };
    RunExecutionService service = new RunExecutionService(new FlakyFinish(store, 1), catalog, lostMeanwhile, clock, 1,
        (wait, reason) -> pauses.add(wait), ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);

    Transition t = service.run(execution);

    assertThat(t).isInstanceOf(Transition.Refused.class);
    assertThat(pauses).hasSize(1);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.RUNNING);
  }

  @Test
  void an_interrupt_while_waiting_to_retry_gives_up_and_leaves_the_execution_for_recovery() {
    Execution execution = dispatched("demo.hello", Map.of());
    RunExecutionService service = new RunExecutionService(new FlakyFinish(store, 100), catalog,
        countingRunner(new AtomicInteger()), clock, 1, (wait, reason) -> {
          throw new InterruptedException("shutting down");
        }, ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);

    assertThatThrownBy(() -> service.run(execution)).isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("will be recovered");
    assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.RUNNING);
  }

  @Test
  void a_dispatch_of_a_scheduled_attempt_runs_it() {
    AtomicInteger runs = new AtomicInteger();
    Execution execution = dispatched("demo.hello", Map.of());

    Handling handling = new RunExecutionService(store, catalog, countingRunner(runs), clock, 1, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS)
        .handleDispatch(execution.id(), 1, worker.id());

    assertThat(handling).isInstanceOfSatisfying(Handling.Ran.class,
        ran -> assertThat(ran.outcome().applied()).isTrue());
    assertThat(runs).hasValue(1);
  }

  @Test
  void stale_and_foreign_dispatches_are_ignored_with_the_reason() {
    AtomicInteger runs = new AtomicInteger();
    RunExecutionService service = new RunExecutionService(store, catalog, countingRunner(runs), clock, 1,
        RetryPause.SLEEP, ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution requeued = dispatched("demo.hello", Map.of());
    store.recover(requeued.id(), 1, true, "lost", clock.instant());
    Execution elsewhere = dispatched("demo.hello", Map.of());
    store.start(elsewhere.id(), 1, elsewhere.worker().orElseThrow(), clock.instant());

    assertThat(service.handleDispatch(new ExecutionId(999), 1, worker.id())).isInstanceOfSatisfying(
        Handling.Ignored.class, i -> assertThat(i.reason()).contains("unknown"));
    assertThat(service.handleDispatch(requeued.id(), 1, worker.id())).isInstanceOfSatisfying(
        Handling.Ignored.class, i -> assertThat(i.reason()).contains("requested").contains("stale"));
    assertThat(service.handleDispatch(requeued.id(), 2, worker.id())).isInstanceOfSatisfying(
        Handling.Ignored.class, i -> assertThat(i.reason()).contains("attempt 1, not 2"));
    assertThat(service.handleDispatch(elsewhere.id(), 1, new WorkerId(worker.id().value() + 1)))
        .isInstanceOfSatisfying(Handling.Misrouted.class, m -> assertThat(m.reason())
            .contains("placed on worker " + worker.id()).contains("wrong worker"));
    assertThat(runs).hasValue(0);
  }

  @Test
  void a_running_attempt_of_this_worker_that_does_not_run_here_runs_without_a_second_start() {
    // its start was stored, the answer lost, the message redelivered: without this it would stay running for ever
    AtomicInteger runs = new AtomicInteger();
    Execution execution = dispatched("demo.hello", Map.of());
    store.start(execution.id(), 1, execution.worker().orElseThrow(), clock.instant());

    Handling handling = new RunExecutionService(store, catalog, countingRunner(runs), clock, 1, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS)
        .handleDispatch(execution.id(), 1, worker.id());

    assertThat(handling).isInstanceOf(Handling.Ran.class);
    assertThat(runs).hasValue(1);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void a_repeated_dispatch_of_an_execution_running_here_is_ignored() throws Exception {
    CountDownLatch inRunner = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    ActionRunner blocking = (id, action, parameters) -> {
      runs.incrementAndGet();
      inRunner.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"));
    };
    RunExecutionService service = new RunExecutionService(store, catalog, blocking, clock, 2, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());
    Thread first = new Thread(() -> service.handleDispatch(execution.id(), 1, worker.id()));
    first.start();
    assertThat(inRunner.await(30, TimeUnit.SECONDS)).isTrue();

    Handling again = service.handleDispatch(execution.id(), 1, worker.id());
    release.countDown();
    first.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(again).isInstanceOfSatisfying(Handling.Ignored.class,
        i -> assertThat(i.reason()).contains("already runs on this worker"));
    assertThat(runs).hasValue(1);
  }

  /** A runner that blocks until interrupted (then reports cancelled, as the process runner does) or released. */
  private static final class UntilInterrupted implements ActionRunner {
    final CountDownLatch inRunner = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public Outcome run(ExecutionId id, ActionDefinition action, Map<String, Object> parameters) {
      runs.incrementAndGet();
      inRunner.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
        return new Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Outcome(ExecutionStatus.CANCELLED, new ExecutionResult(Optional.empty(), "partial", "", null,
            "interrupted"));
      }
    }
  }

  @Test
  void a_stop_request_ends_the_running_action_and_records_it_cancelled_keeping_its_output() throws Exception {
    UntilInterrupted runner = new UntilInterrupted();
    RunExecutionService service = new RunExecutionService(store, catalog, runner, clock, 2, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());
    AtomicInteger interruptedAfter = new AtomicInteger(-1);
    Thread handler = new Thread(() -> {
      service.handleDispatch(execution.id(), 1, worker.id());
      interruptedAfter.set(Thread.currentThread().isInterrupted() ? 1 : 0);
    });
    handler.start();
    assertThat(runner.inRunner.await(30, TimeUnit.SECONDS)).isTrue();
    store.requestCancel(execution.id(), "stop", clock.instant());

    assertThat(service.stop(execution.id(), 2)).as("another attempt").isFalse();
    assertThat(service.stop(execution.id(), 1)).isTrue();
    handler.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(stored(execution).result().orElseThrow().message()).isEqualTo(RunExecutionService.STOPPED);
    assertThat(stored(execution).result().orElseThrow().stdout()).isEqualTo("partial");
    assertThat(interruptedAfter).as("the thread is not left interrupted for its next work").hasValue(0);
    assertThat(registry.byId(worker.id()).orElseThrow().running()).isZero();
  }

  @Test
  void a_stop_for_an_execution_not_running_here_does_nothing() {
    RunExecutionService service = new RunExecutionService(store, catalog, countingRunner(new AtomicInteger()), clock,
        1, RetryPause.SLEEP, ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());

    assertThat(service.stop(execution.id(), 1)).isFalse();
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.SCHEDULED);
  }

  @Test
  void a_dispatch_of_an_execution_cancelled_before_it_started_does_not_run_it() {
    AtomicInteger runs = new AtomicInteger();
    RunExecutionService service = new RunExecutionService(store, catalog, countingRunner(runs), clock, 1,
        RetryPause.SLEEP, ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());
    store.requestCancel(execution.id(), "stop", clock.instant());

    Handling handling = service.handleDispatch(execution.id(), 1, worker.id());

    assertThat(handling).isInstanceOf(Handling.Ignored.class);
    assertThat(runs).hasValue(0);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.CANCELLED);
  }

  @Test
  void a_redelivered_dispatch_of_a_started_attempt_whose_cancel_is_pending_is_recorded_cancelled_without_running() {
    AtomicInteger runs = new AtomicInteger();
    RunExecutionService service = new RunExecutionService(store, catalog, countingRunner(runs), clock, 1,
        RetryPause.SLEEP, ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());
    store.start(execution.id(), 1, execution.worker().orElseThrow(), clock.instant()); // stored, but the process never started here
    store.requestCancel(execution.id(), "stop", clock.instant());

    Handling handling = service.handleDispatch(execution.id(), 1, worker.id());

    assertThat(handling).isInstanceOf(Handling.Ran.class);
    assertThat(runs).hasValue(0);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(stored(execution).result().orElseThrow().message())
        .isEqualTo(RunExecutionService.STOPPED_BEFORE_START);
  }

  @Test
  void the_sweep_finds_a_missed_cancel_and_stops_the_execution_running_here() throws Exception {
    UntilInterrupted runner = new UntilInterrupted();
    RunExecutionService service = new RunExecutionService(store, catalog, runner, clock, 2, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());
    Execution other = dispatched("demo.hello", Map.of());
    Thread handler = new Thread(() -> service.handleDispatch(execution.id(), 1, worker.id()));
    handler.start();
    assertThat(runner.inRunner.await(30, TimeUnit.SECONDS)).isTrue();
    store.requestCancel(execution.id(), "stop", clock.instant()); // and the stop request is lost

    List<ExecutionId> stopped = service.stopCancelled(worker.id());
    handler.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(stopped).containsExactly(execution.id());
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(stored(other).status()).isEqualTo(ExecutionStatus.SCHEDULED);
  }

  @Test
  void the_sweep_does_not_stop_again_an_execution_whose_process_tree_is_being_ended() throws Exception {
    CountDownLatch inRunner = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);
    // a process tree that takes its grace period to end: the runner returns only once told
    ActionRunner slowToEnd = (id, action, parameters) -> {
      inRunner.countDown();
      boolean interrupted = false;
      while (true) {
        try {
          ended.await();
          break;
        } catch (InterruptedException stop) {
          interrupted = true;
        }
      }
      return new ActionRunner.Outcome(interrupted ? ExecutionStatus.CANCELLED : ExecutionStatus.SUCCEEDED,
          ExecutionResult.message("ended"));
    };
    RunExecutionService service = new RunExecutionService(store, catalog, slowToEnd, clock, 1, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());
    Thread handler = new Thread(() -> service.handleDispatch(execution.id(), 1, worker.id()));
    handler.start();
    assertThat(inRunner.await(30, TimeUnit.SECONDS)).isTrue();
    store.requestCancel(execution.id(), "stop", clock.instant());

    List<ExecutionId> first = service.stopCancelled(worker.id());
    List<ExecutionId> second = service.stopCancelled(worker.id());
    ended.countDown();
    handler.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(first).containsExactly(execution.id());
    assertThat(second).as("already being stopped").isEmpty();
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.CANCELLED);
  }

  @Test
  void the_sweep_records_cancelled_a_pending_cancel_of_an_execution_no_process_here_runs() {
    RunExecutionService service = new RunExecutionService(store, catalog, countingRunner(new AtomicInteger()), clock,
        1, RetryPause.SLEEP, ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());
    store.start(execution.id(), 1, execution.worker().orElseThrow(), clock.instant());
    store.requestCancel(execution.id(), "stop", clock.instant());

    assertThat(service.stopCancelled(worker.id())).containsExactly(execution.id());

    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.CANCELLED);
    assertThat(registry.byId(worker.id()).orElseThrow().running()).isZero();
  }

  @Test
  void a_newer_attempt_placed_on_this_worker_takes_over_the_run_of_the_older_one_still_running_here()
      throws Exception {
    // issue 22, row 1: the worker paused past three heartbeats while running attempt 1; the monitor requeued it and
    // the scheduler placed attempt 2 on the same worker, which came back and still ran attempt 1's process
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ActionRunner paused = (id, action, parameters) -> {
      runs.incrementAndGet();
      running.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("ran to the end"));
    };
    RunExecutionService service = new RunExecutionService(store, catalog, paused, clock, 2, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Execution execution = dispatched("demo.hello", Map.of());
    List<Handling> handled = new CopyOnWriteArrayList<>();
    Thread first = new Thread(() -> handled.add(service.handleDispatch(execution.id(), 1, worker.id())));
    first.start();
    assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
    store.recover(execution.id(), 1, true, "worker lost", clock.instant());
    assertThat(store.assign(execution.id(), worker.id(), clock.instant())).isInstanceOf(Assignment.Assigned.class);

    Handling second = service.handleDispatch(execution.id(), 2, worker.id());
    release.countDown();
    first.join(30_000);

    assertThat(second).isInstanceOfSatisfying(Handling.TookOver.class, t -> assertThat(t.reason())
        .contains("attempt 2 takes over the run of attempt 1"));
    assertThat(runs).as("the action ran once").hasValue(1);
    Execution done = stored(execution);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.attempts()).extracting(a -> a.outcome().orElseThrow().wireName())
        .containsExactly("requeued", "succeeded");
    assertThat(registry.byId(worker.id()).orElseThrow().running()).isZero();
    assertThat(handled).singleElement().isInstanceOfSatisfying(Handling.Ran.class,
        ran -> assertThat(ran.outcome().applied()).isTrue());
  }

  @Test
  void a_run_whose_attempt_was_taken_by_a_later_attempt_elsewhere_is_stopped_and_a_requeued_one_is_not()
      throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    ActionRunner untilStopped = (id, action, parameters) -> {
      running.countDown();
      try {
        Thread.sleep(30_000);
        return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("not stopped"));
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
        return new ActionRunner.Outcome(ExecutionStatus.CANCELLED, ExecutionResult.message("process tree ended"));
      }
    };
    RunExecutionService service = new RunExecutionService(store, catalog, untilStopped, clock, 2, RetryPause.SLEEP,
        ExecutionObserver.NONE, ExecutionEvents.NONE, WorkerLease.ALWAYS);
    Worker rescuer = registry.register(new WorkerRegistration("rescuer", WorkerType.LOCAL, "h",
        Capabilities.builder().runtime(RuntimeName.SHELL).build(), Duration.ofSeconds(30)), clock.instant());
    Execution taken = dispatched("demo.hello", Map.of());
    Execution requeued = dispatched("demo.hello", Map.of());
    List<Handling> handled = new CopyOnWriteArrayList<>();
    List<Thread> threads = List.of(
        new Thread(() -> handled.add(service.handleDispatch(taken.id(), 1, worker.id()))),
        new Thread(() -> handled.add(service.handleDispatch(requeued.id(), 1, worker.id()))));
    threads.forEach(Thread::start);
    assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
    store.recover(taken.id(), 1, true, "worker lost", clock.instant());
    store.assign(taken.id(), rescuer.id(), clock.instant());
    store.start(taken.id(), 2, rescuer.id(), clock.instant());
    store.recover(requeued.id(), 1, true, "worker lost", clock.instant());

    List<ExecutionId> stopped = service.stopWhatIsNoLongerHeld(worker.id());
    threads.get(0).join(30_000);

    assertThat(stopped).containsExactly(taken.id());
    assertThat(threads.get(0).isAlive()).isFalse();
    assertThat(threads.get(1).isAlive()).as("a merely requeued run goes on").isTrue();
    assertThat(stored(taken).status()).as("the rescuer's run is left alone").isEqualTo(ExecutionStatus.RUNNING);
    service.stop(requeued.id(), 1);
    threads.get(1).join(30_000);
  }

  @Test
  void a_process_that_no_longer_holds_its_worker_s_name_starts_nothing_and_hands_the_dispatch_back() {
    AtomicInteger runs = new AtomicInteger();
    RunExecutionService notHolding = new RunExecutionService(store, catalog, countingRunner(runs), clock, 1,
        (wait, reason) -> { }, io.attune.worker.core.port.out.ExecutionObserver.NONE,
        io.attune.worker.core.port.out.ExecutionEvents.NONE, () -> false);
    Execution execution = dispatched("demo.hello", Map.of());

    Handling handling = notHolding.handleDispatch(execution.id(), 1, worker.id());

    assertThat(handling).isInstanceOfSatisfying(Handling.NotHeld.class, h -> assertThat(h.reason())
        .contains("no longer holds"));
    assertThat(runs).hasValue(0);
    assertThat(stored(execution).status()).isEqualTo(ExecutionStatus.SCHEDULED);
  }

  private static ActionRunner countingRunner(AtomicInteger runs) {
    return (ExecutionId id, ActionDefinition action, Map<String, Object> parameters) -> {
      runs.incrementAndGet();
      return new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED, ExecutionResult.message("ok"));
    };
  }

  /** Waits (bounded) until every thread is parked, so the assertions see a settled state, not a race. */
  private static void awaitAllWaiting(List<Thread> threads) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
          || t.getState() == Thread.State.TIMED_WAITING)) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("threads did not settle: " + threads.stream().map(Thread::getState).toList());
  }
}
