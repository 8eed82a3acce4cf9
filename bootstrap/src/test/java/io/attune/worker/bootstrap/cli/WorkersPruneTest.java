package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code workers prune} refuses before it touches a database. */
class WorkersPruneTest {

  @Test
  void older_than_reads_days_hours_and_minutes() {
    assertThat(WorkersCommand.Prune.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(WorkersCommand.Prune.parse("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(WorkersCommand.Prune.parse("90m")).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void a_time_shorter_than_an_hour_is_refused_because_it_could_remove_a_restarting_worker() {
    CliRun run = CliRun.of(Map.of(), "workers", "prune", "--older-than", "30m");

    assertThat(run.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(run.err()).contains("--older-than").contains("'30m'").contains("expected at least 1h");
  }

  @Test
  void an_unreadable_time_names_the_option_and_the_form() {
    CliRun run = CliRun.of(Map.of(), "workers", "prune", "--older-than", "soon");

    assertThat(run.status()).isEqualTo(AttuneCommand.BAD_INPUT);
    assertThat(run.err()).contains("'soon'").contains("expected a number and d, h or m");
  }
}
