package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.bootstrap.cli.CliRun;
import io.attune.worker.core.model.execution.Attempt;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 22's faults, one test each, with real processes on real services: a paused worker, a database turned read-only
 * for a while, a broker memory alarm, two processes under one worker name, messages above the cap, a worker that
 * cannot consume its queue, and a dispatch sent to the wrong worker. Each checks that what ran is kept and that
 * nothing runs twice.
 *
 * <p>Heartbeats every second (stale after three), dispatch timeout 10 s.
 */
class OwnershipIT extends WithIsolatedSystem {

  /** Row 1: a worker paused past three heartbeats, placed again on itself, finishes what it ran: nothing is lost. */
  @Test
  void a_worker_paused_past_its_heartbeats_keeps_the_run_it_had_and_the_action_runs_once() throws Exception {
    JarProcess worker = systemWithOneWorker("pause");
    ExecutionId id = system.submit(15);
    await().atMost(LONG).until(() -> system.execution(id).status() == ExecutionStatus.RUNNING);

    IsolatedSystem.signal(worker.pid(), "STOP");
    await().atMost(LONG).until(() -> system.execution(id).status() != ExecutionStatus.RUNNING);
    IsolatedSystem.signal(worker.pid(), "CONT");
    Execution ended = system.awaitEnded(id, LONG);

    assertThat(ended.status()).as(ended.result().map(r -> r.message()).orElse("")).isEqualTo(
        ExecutionStatus.SUCCEEDED);
    assertThat(system.runStarts(id)).as("the action ran once").hasSize(1);
    assertThat(ended.attempts()).first().extracting(Attempt::started).isEqualTo(true);
    assertThat(worker.isAlive()).isTrue();
    assertThat(system.awaitWorker("pause-w", Worker::isActive, LONG).running()).isZero();
  }

  /**
   * Row 2: the database turned read-only (sessions opened meanwhile are read-only) and writable again: the run's
   * outcome is kept, and the processes' connections heal without an operator.
   */
  @Test
  void a_database_read_only_for_a_while_loses_no_result_and_the_pools_heal_themselves() throws Exception {
    JarProcess worker = systemWithOneWorker("ro");
    ExecutionId id = system.submit(10);
    await().atMost(LONG).until(() -> system.execution(id).status() == ExecutionStatus.RUNNING);

    system.sql("ALTER DATABASE {db} SET default_transaction_read_only = on");
    // every session reconnects, and each new one is read-only: as after a failover to a standby
    system.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' "
        + "AND pid <> pg_backend_pid()");
    Thread.sleep(8_000);
    system.sql("ALTER DATABASE {db} RESET default_transaction_read_only");
    Execution ended = system.awaitEnded(id, LONG);

    assertThat(ended.status()).as(ended.result().map(r -> r.message()).orElse("")).isEqualTo(
        ExecutionStatus.SUCCEEDED);
    assertThat(system.runStarts(id)).as("the action ran once").hasSize(1);
    Worker healed = system.awaitWorker("ro-w", w -> w.isActive() && w.running() == 0, LONG);
    assertThat(healed.lastHeartbeatAt()).isPresent();
    ExecutionId after = system.submit(0.1);
    assertThat(system.awaitEnded(after, LONG).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(worker.isAlive()).isTrue();
  }

  /**
   * Row 3: a broker memory alarm: clients give up publishing at their deadline and say why, the scheduler places
   * nothing while the broker blocks it, and once the alarm clears everything runs, once, on its first run.
   */
  @Test
  void a_broker_memory_alarm_holds_work_back_without_spending_attempts_and_clients_do_not_hang() throws Exception {
    systemWithOneWorker("alarm");
    ExecutionId before = system.submit(0.1);
    system.awaitEnded(before, LONG);

    CliRun submitted;
    try {
      system.mqCtl("rabbitmqctl", "set_vm_memory_high_watermark", "0.0000001");
      CompletableFuture<CliRun> submit = CompletableFuture.supplyAsync(() -> system.cli("submit", "own.record",
          "--param", "seconds=0.5", "--json"));
      submitted = submit.get(90, TimeUnit.SECONDS);
      Thread.sleep(15_000); // longer than a confirm timeout and the dispatch timeout
    } finally {
      system.mqCtl("rabbitmqctl", "set_vm_memory_high_watermark", "0.4");
    }

    assertThat(submitted.status()).as(submitted.err()).isZero();
    assertThat(submitted.err()).contains("stored but not announced");
    ExecutionId id = new ExecutionId(Long.parseLong(submitted.out().replaceAll("(?s).*\"execution_id\"\\s*:\\s*(\\d+)"
        + ".*", "$1").trim()));
    Execution ended = system.awaitEnded(id, LONG);
    assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ended.runs()).isEqualTo(1);
    assertThat(system.runStarts(id)).hasSize(1);
  }

  /** Row 4: a second process under a live worker's name refuses to start; one told to wait takes over once it ends. */
  @Test
  void a_second_process_under_a_live_worker_name_refuses_to_start_and_nothing_runs_twice() throws Exception {
    system = IsolatedSystem.create("own_name", work);
    system.scheduler("name-scheduler");
    JarProcess first = system.worker("name-first", "name-w", Map.of());
    system.awaitWorker("name-w", Worker::isActive, LONG);
    ExecutionId id = system.submit(6);
    await().atMost(LONG).until(() -> system.execution(id).status() == ExecutionStatus.RUNNING);

    JarProcess second = system.worker("name-second", "name-w", Map.of());
    int status = second.awaitExit(120);

    assertThat(status).as(second.log()).isEqualTo(2);
    assertThat(second.log()).contains("worker name 'name-w' is held by a live process").contains("--wait-for-name");
    Execution ended = system.awaitEnded(id, LONG);
    assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ended.attempt()).isEqualTo(1);
    assertThat(system.runStarts(id)).as("the action ran once").hasSize(1);
    assertThat(first.isAlive()).isTrue();

    JarProcess waiting = system.worker("name-waiting", "name-w", Map.of(), "--wait-for-name", "120");
    await().atMost(LONG).until(() -> waiting.log().contains("waiting up to"));
    first.kill();
    first.awaitExit(30);
    await().atMost(LONG).until(() -> waiting.log().contains("took the name over"));
    ExecutionId next = system.submit(0.1);
    assertThat(system.awaitEnded(next, LONG).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(waiting.isAlive()).isTrue();
  }

  /**
   * Row 4, the other way round: a worker paused past its heartbeats, whose name another process took over meanwhile,
   * stops when it resumes (exit 1) and leaves the name, its entry and its work to the new holder.
   */
  @Test
  void a_paused_worker_whose_name_was_taken_over_stops_when_it_resumes_and_leaves_the_name_alone() throws Exception {
    system = IsolatedSystem.create("own_taken", work);
    system.scheduler("taken-scheduler");
    JarProcess paused = system.worker("taken-old", "taken-w", Map.of());
    Worker before = system.awaitWorker("taken-w", Worker::isActive, LONG);

    IsolatedSystem.signal(paused.pid(), "STOP");
    JarProcess successor = system.worker("taken-new", "taken-w", Map.of(), "--wait-for-name", "120");
    await().atMost(LONG).until(() -> successor.log().contains("took the name over"));
    IsolatedSystem.signal(paused.pid(), "CONT");
    int status = paused.awaitExit(120);

    assertThat(status).as(paused.log()).isEqualTo(1);
    assertThat(paused.log()).contains("no longer holds the worker name");
    Worker after = system.awaitWorker("taken-w", w -> w.isActive()
        && w.lastHeartbeatAt().orElseThrow().isAfter(before.lastHeartbeatAt().orElseThrow()), LONG);
    assertThat(after.id()).isEqualTo(before.id());
    ExecutionId next = system.submit(0.1);
    assertThat(system.awaitEnded(next, LONG).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(successor.isAlive()).isTrue();
  }

  /**
   * Row 5: messages above the cap on a worker's dispatch key and on the request key are dead-lettered without closing
   * anything, and the worker goes on; a worker whose queue can no longer be consumed is marked error, no longer chosen.
   */
  @Test
  void oversized_messages_are_dead_lettered_and_a_worker_that_cannot_consume_stops_taking_placements()
      throws Exception {
    system = IsolatedSystem.create("own_size", work);
    system.scheduler("size-scheduler");
    JarProcess worker = system.worker("size-worker", "size-w", Map.of());
    Worker w = system.awaitWorker("size-w", Worker::isActive, LONG);
    byte[] huge = IsolatedSystem.envelope("execution.dispatch", "{\"execution_id\":1,\"attempt\":1,\"action_ref\":\""
        + "x".repeat(2 * 1024 * 1024) + "\"}");

    system.publish(RabbitTopology.dispatchRoutingKey(w.id()), huge);
    system.publish(RabbitTopology.REQUEST_ROUTING_KEY, huge);
    ExecutionId after = system.submit(0.1);

    assertThat(system.awaitEnded(after, LONG).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    await().atMost(LONG).untilAsserted(() -> assertThat(system.deadLetterReasons())
        .filteredOn(reason -> reason.startsWith("oversized")).hasSize(2));
    assertThat(worker.log()).doesNotContain("lost the connection");

    JarProcess spare = system.worker("size-spare", "size-spare", Map.of());
    system.awaitWorker("size-spare", Worker::isActive, LONG);
    system.mqCtl("rabbitmqctl", "-p", system.database(), "delete_queue", RabbitTopology.workerQueue(w.id()));
    Worker broken = system.awaitWorker("size-w", x -> x.status() == WorkerStatus.ERROR, LONG);
    CliRun explained = system.cli("workers", "--json");
    assertThat(explained.out()).contains("\"error\"");
    ExecutionId elsewhere = system.submit(0.1);
    Execution ranElsewhere = system.awaitEnded(elsewhere, LONG);
    assertThat(ranElsewhere.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ranElsewhere.worker()).as("not placed on the worker in error").isNotEqualTo(java.util.Optional.of(broken.id()));
    assertThat(spare.isAlive()).isTrue();
  }

  /** Row 6: a dispatch sent to a worker it was not placed on is dead-lettered there, and the action runs once. */
  @Test
  void a_dispatch_that_reaches_another_worker_is_dead_lettered_and_runs_only_where_it_was_placed() throws Exception {
    system = IsolatedSystem.create("own_route", work);
    JarProcess a = system.worker("route-a", "route-a", Map.of());
    JarProcess b = system.worker("route-b", "route-b", Map.of());
    Worker placedOn = system.awaitWorker("route-a", Worker::isActive, LONG);
    Worker other = system.awaitWorker("route-b", Worker::isActive, LONG);
    Execution created = system.db().executions().create(new io.attune.worker.core.model.execution.ExecutionRequest(
        io.attune.worker.core.model.placement.requirement.ActionRequirements.of("own.record",
            io.attune.worker.core.model.runtime.RuntimeName.SHELL), Map.of("seconds", 0.5)), java.time.Instant.now());
    system.db().executions().assign(created.id(), placedOn.id(), java.time.Instant.now());
    String payload = "{\"execution_id\":" + created.id().value() + ",\"attempt\":1,\"action_ref\":\"own.record\"}";

    system.publish(RabbitTopology.dispatchRoutingKey(other.id()), IsolatedSystem.envelope("execution.dispatch",
        payload));
    await().atMost(LONG).untilAsserted(() -> assertThat(b.log()).contains("misrouted dispatch"));
    system.publish(RabbitTopology.dispatchRoutingKey(placedOn.id()), IsolatedSystem.envelope("execution.dispatch",
        payload));
    Execution ended = system.awaitEnded(created.id(), LONG);

    assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ended.worker()).contains(placedOn.id());
    assertThat(system.runStarts(created.id())).as("the action ran once").hasSize(1);
    assertThat(system.deadLetterReasons()).anySatisfy(reason -> assertThat(reason).contains("misrouted dispatch")
        .contains("not on worker " + other.id()));
    assertThat(system.db().directory().byName("route-b").orElseThrow().running()).isZero();
    assertThat(List.of(a.isAlive(), b.isAlive())).containsOnly(true);
  }
}
