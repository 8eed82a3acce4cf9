package io.attune.worker.bootstrap.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded demo, run for real on this machine's runtimes with the sample packs. */
class DemoTest {

  private static final Map<String, Set<String>> CAPABLE = Map.of(
      "demo.hello_python", Set.of("worker-python", "worker-full"),
      "demo.python_modern", Set.of("worker-python", "worker-full"),
      "demo.add", Set.of("worker-python", "worker-full"),
      "demo.hello_node", Set.of("worker-node", "worker-full"),
      "demo.native_uname", Set.of("worker-full"));

  private static List<DemoRow> rows;
  private static String output;

  @BeforeAll
  static void runTheDemo() throws InterruptedException {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("ATTUNE_PACKS_DIR", "../packs");
    env.remove("ATTUNE_CONFIG");
    AttuneConfig config = new ConfigLoader(env).load(Optional.empty());
    StringWriter out = new StringWriter();
    rows = new Demo(config, env, new PrintWriter(out, true), 2, Duration.ofSeconds(60), Clock.systemUTC()).run();
    output = out.toString();
  }

  @Test
  void every_execution_ends() {
    assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.status())
        .isIn("succeeded", "failed", "timed_out", "unschedulable"));
  }

  @Test
  void actions_run_only_on_workers_that_offer_their_runtime() {
    for (DemoRow row : rows) {
      Set<String> capable = CAPABLE.get(row.action());
      if (capable != null && row.worker() != null) {
        assertThat(capable).as(row.action() + " ran on " + row.worker()).contains(row.worker());
      }
    }
  }

  @Test
  void more_work_than_capacity_makes_some_executions_wait_and_then_run() {
    assertThat(rows).anySatisfy(row -> {
      assertThat(row.waits()).isPositive();
      assertThat(row.worker()).isNotNull();
    });
  }

  @Test
  void unschedulable_rows_explain_each_worker() {
    rows.stream().filter(r -> r.status().equals("unschedulable")).forEach(row ->
        assertThat(row.whyNotOthers()).contains("worker-shell:").contains("worker-python:")
            .contains("worker-node:").contains("worker-full:"));
  }

  @Test
  void the_failing_and_the_slow_action_end_honestly() {
    assertThat(rows).filteredOn(r -> r.action().equals("demo.fail")).allSatisfy(r ->
        assertThat(r.status()).isEqualTo("failed"));
    assertThat(rows).filteredOn(r -> r.action().equals("demo.slow")).allSatisfy(r ->
        assertThat(r.status()).isEqualTo("timed_out"));
  }

  @Test
  void progress_and_the_final_table_are_printed() {
    assertThat(output).contains("submitted").contains("WHY NOT THE OTHERS").contains("executions in");
  }
}
