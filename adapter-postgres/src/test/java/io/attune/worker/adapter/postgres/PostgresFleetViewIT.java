package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.Fixtures.NOW;
import static io.attune.worker.adapter.postgres.Fixtures.request;
import static io.attune.worker.adapter.postgres.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.fleet.FleetView;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.port.out.ExecutionStore.Assignment;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A scheduler's copy of the fleet over PostgreSQL follows changes made by another process: a second adapter with a
 * pool of its own, logged in as the application role that workers use.
 */
class PostgresFleetViewIT {

  private static final ActionRequirements SHELL = ActionRequirements.of("demo.run", RuntimeName.SHELL);

  @RegisterExtension
  static final MigratedDatabase db = new MigratedDatabase("fleet_view");

  private final MutableClock clock = new MutableClock(NOW);
  private PostgresAdapter other;
  private FleetView view;

  @BeforeEach
  void otherProcess() throws SQLException {
    db.truncate();
    String login = "attune_fv_" + UUID.randomUUID().toString().substring(0, 8);
    db.adapter().grantApplicationLogin(login, "pw");
    try (Connection admin = db.jdbc()) {
      other = PostgresAdapter.connect(new PostgresSettings(admin.getMetaData().getURL(), login, "pw", 2));
    }
    view = new FleetView(db.adapter().workerChanges(), db.adapter().directory(), clock, Duration.ZERO,
        FleetView.DEFAULT_FULL_RELOAD);
  }

  @AfterEach
  void close() {
    other.close();
  }

  private void assertConverged() {
    assertThat(view.candidatesFor(SHELL).workers()).isEqualTo(Fleet.of(db.adapter().directory().all()).workers());
  }

  private Worker seen(String name) {
    return view.candidatesFor(SHELL).byName(name).orElseThrow();
  }

  @Test
  void changes_made_by_another_process_converge_in_the_view() {
    Worker a = other.registry().register(worker("a", 2, "shell"), NOW);
    Worker b = other.registry().register(worker("b", 2, "shell", "python"), NOW);
    assertConverged();

    other.registry().heartbeat(a.id(), NOW.plusSeconds(10));
    assertThat(seen("a").lastHeartbeat()).isEqualTo(NOW.plusSeconds(10));
    other.registry().setCordoned("b", true);
    assertThat(seen("b").cordoned()).isTrue();

    Execution execution = other.executions().create(request("demo.run", "shell"), NOW);
    assertThat(other.executions().assign(execution.id(), a.id(), NOW.plusSeconds(10)))
        .isInstanceOf(Assignment.Assigned.class);
    assertThat(seen("a").running()).isOne();
    other.executions().start(execution.id(), 1, a.id(), NOW.plusSeconds(11));
    other.executions().finish(execution.id(), 1, ExecutionStatus.SUCCEEDED, ExecutionResult.message("done"),
        NOW.plusSeconds(12));
    assertThat(seen("a").running()).isZero();

    other.registry().markInactive(b.id());
    assertThat(seen("b").status()).isEqualTo(WorkerStatus.INACTIVE);
    other.registry().register(worker("b", 7, "shell"), NOW.plusSeconds(20));
    assertThat(seen("b").capabilities().maxConcurrentExecutions()).isEqualTo(7);

    other.registry().markInactive(a.id());
    assertThat(other.registry().prune(NOW.plus(Duration.ofHours(2)), Duration.ofHours(1))).containsExactly("a", "b");
    assertThat(view.candidatesFor(SHELL).workers()).isEmpty();
    assertConverged();
  }

  /**
   * Out-of-order commits: transaction 1 changes worker a and stays open while transaction 2, started later, changes
   * worker b and commits. A reader in between sees b only; once transaction 1 commits, the next read must bring a,
   * although its change was made before b's.
   */
  @Test
  void a_change_committed_after_a_later_one_was_read_is_not_missed() throws SQLException {
    other.registry().register(worker("a", 2, "shell"), NOW);
    other.registry().register(worker("b", 2, "shell"), NOW);
    assertConverged();

    try (Connection first = db.jdbc(); Connection second = db.jdbc()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      cordon(first, "a");
      cordon(second, "b");
      second.commit();
      assertThat(seen("b").cordoned()).isTrue();
      assertThat(seen("a").cordoned()).as("not committed yet").isFalse();

      first.commit();
    }
    assertThat(seen("a").cordoned()).isTrue();
    assertConverged();
  }

  /** Two processes write at once while the view catches up again and again: in the end it misses nothing. */
  @Test
  void changes_from_two_concurrent_writers_are_all_seen() throws Exception {
    List<PostgresAdapter> writers = List.of(db.adapter(), other);
    List<List<Worker>> owned = new ArrayList<>();
    for (int w = 0; w < writers.size(); w++) {
      List<Worker> mine = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        mine.add(writers.get(w).registry().register(worker("w" + w + "-" + i, 2, "shell"), NOW));
      }
      owned.add(mine);
    }
    int beats = 150;
    ExecutorService threads = Executors.newFixedThreadPool(writers.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers.size(); w++) {
        PostgresAdapter writer = writers.get(w);
        List<Worker> mine = owned.get(w);
        done.add(threads.submit(() -> {
          for (int beat = 1; beat <= beats; beat++) {
            Worker target = mine.get(beat % mine.size());
            writer.registry().heartbeat(target.id(), NOW.plusMillis(beat));
          }
          return null;
        }));
      }
      while (done.stream().anyMatch(f -> !f.isDone())) {
        view.candidatesFor(SHELL);
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }

    assertConverged();
    for (int w = 0; w < writers.size(); w++) {
      for (int i = 0; i < 5; i++) {
        int lastBeat = beats - ((beats - i) % 5 + 5) % 5;
        assertThat(seen("w" + w + "-" + i).lastHeartbeat()).isEqualTo(NOW.plusMillis(lastBeat));
      }
    }
  }

  @Test
  void a_reader_behind_forgotten_removals_loads_everything_again() throws SQLException {
    Worker a = other.registry().register(worker("a", 2, "shell"), NOW);
    Worker b = other.registry().register(worker("b", 2, "shell"), NOW);
    long position = db.adapter().workerChanges().snapshot().position();
    other.registry().markInactive(a.id());
    other.registry().heartbeat(b.id(), NOW.plus(Duration.ofHours(2)));
    assertThat(other.registry().prune(NOW.plus(Duration.ofHours(2)), Duration.ofHours(1))).containsExactly("a");
    // the removal of a is two days old by the time b is pruned: that prune forgets it
    try (Connection admin = db.jdbc(); Statement s = admin.createStatement()) {
      s.execute("UPDATE worker_removal SET removed_at = removed_at - interval '2 days'");
    }
    other.registry().markInactive(b.id());
    assertThat(other.registry().prune(NOW.plus(Duration.ofHours(4)), Duration.ofHours(1))).containsExactly("b");
    assertThat(db.adapter().workerChanges().since(db.adapter().workerChanges().snapshot().position()).complete())
        .as("a reader that read after the forgotten removal").isTrue();

    WorkerChanges.Changes changes = db.adapter().workerChanges().since(position);

    assertThat(changes.complete()).isFalse();
    assertThat(changes.removed()).isEmpty();
  }

  private static void cordon(Connection connection, String name) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE worker SET cordoned = true WHERE name = ?")) {
      update.setString(1, name);
      assertThat(update.executeUpdate()).isOne();
    }
  }
}
