package io.attune.worker.bootstrap.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.attune.worker.adapter.http.out.Metrics;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.adapter.rabbitmq.broker.ResultMessage;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.service.EndScenarios;
import io.attune.worker.testsupport.services.TestServices;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way an execution ends, recorded by its use case, reaches a listener on the real broker once (on
 * {@code execution.result.{id}}, as the worker and scheduler roles announce it) and is counted once in the metrics
 * that {@code /metrics} serves.
 */
class EveryEndAnnouncedIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private RabbitAdapter rabbit;
  private Metrics metrics;
  private Subscription listener;
  private final List<ResultMessage> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect() {
    TestServices services = TestServices.require();
    rabbit = RabbitAdapter.connect(new RabbitSettings(services.mqUrl(), "every-end-announced-it"),
        Clock.systemUTC());
    listener = rabbit.consumeResults(heard::add);
    metrics = Metrics.create();
  }

  @AfterEach
  void close() {
    listener.close();
    rabbit.close();
    metrics.close();
  }

  @ParameterizedTest
  @EnumSource(EndScenarios.End.class)
  void each_end_is_announced_once_over_the_broker_and_counted_once(EndScenarios.End end) {
    EndScenarios scenarios = new EndScenarios(metrics.observer(), rabbit.events());
    Execution ended = scenarios.drive(end);
    // a later end, announced the same way, marks where the announcements of the first must all have arrived
    Execution marker = scenarios.drive(EndScenarios.End.SUCCEEDED);

    await().atMost(PATIENCE).until(() -> heardOf(marker.id()) == 1);
    assertThat(heard.stream().filter(r -> r.executionId().equals(ended.id())).map(ResultMessage::status))
        .as("announcements of execution %s", ended.id()).containsExactly(end.status().wireName());
    assertThat(endedCount(end.status().wireName())).as("counted in the metrics")
        .isEqualTo(end == EndScenarios.End.SUCCEEDED ? 2.0 : 1.0);
  }

  private long heardOf(ExecutionId id) {
    return heard.stream().filter(r -> r.executionId().equals(id)).count();
  }

  /** The value of {@code attune_executions_total} for a shell execution with that outcome, as scraped. */
  private double endedCount(String outcome) {
    String prefix = "attune_executions_total{";
    return metrics.scrape().lines()
        .filter(line -> line.startsWith(prefix) && line.contains("outcome=\"" + outcome + "\"")
            && line.contains("runtime=\"" + runtimeOf(outcome) + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String runtimeOf(String outcome) {
    return outcome.equals("unschedulable") ? "python" : "shell";
  }
}
