package io.attune.worker.benchmarks.system;

import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.local.runner.ProcessActionRunner;
import io.attune.worker.adapter.local.runner.RunnerSettings;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.benchmarks.rabbitmq.RawThroughputBenchmark;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * The steps of one execution measured alone, in the same run, so that the end-to-end latency can be read as a sum:
 * a confirmed persistent publish (three per execution: request, dispatch, result), the row reads and the candidate
 * query every placement and claim makes, and the child process.
 *
 * @param confirmedPublishMillis one publish waiting for its confirm, from one thread (the inverse of the rate)
 * @param hop one message from a publishing transport to the handler of a consuming one (another connection), as
 *     a request travels from the client to the scheduler and a dispatch from the scheduler to the worker
 * @param findExecution {@code ExecutionStore.find}: the scheduler, the worker and each compare-and-set read one
 * @param candidates {@code WorkerDirectory.candidatesFor}: every placement attempt, including every sweep try
 * @param waitingList {@code ExecutionStore.waiting()} with nothing waiting: the sweep's own query
 * @param childProcess {@code ProcessActionRunner.run} of the no-op action
 */
record Components(double confirmedPublishMillis, Latencies hop, Latencies findExecution, Latencies candidates,
    Latencies waitingList, Latencies childProcess) {

  /** Results of the sample execution announced on one connection and received on another, one at a time. */
  private static Latencies hop(RabbitSettings rabbit, ExecutionId id) {
    Clock clock = Clock.systemUTC();
    List<Long> hops = new ArrayList<>();
    try (RabbitAdapter sender = RabbitAdapter.connect(new RabbitSettings(rabbit.url(), "attune-bench-hop-out"),
        clock);
         RabbitAdapter receiver = RabbitAdapter.connect(new RabbitSettings(rabbit.url(), "attune-bench-hop-in"),
             clock)) {
      SynchronousQueue<Long> arrivals = new SynchronousQueue<>();
      Subscription subscription = receiver.consumeResults(r -> {
        if (r.executionId().equals(id)) {
          arrivals.put(System.nanoTime());
        }
      });
      try {
        for (int i = 0; i < 120; i++) {
          long start = System.nanoTime();
          sender.results().publish(id, 1, ExecutionStatus.SUCCEEDED);
          Long arrived = arrivals.poll(10, TimeUnit.SECONDS);
          if (arrived == null) {
            throw new IllegalStateException("a result announcement did not arrive within 10 s");
          }
          if (i >= 20) {
            hops.add(arrived - start);
          }
        }
      } finally {
        subscription.close();
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring a hop", interrupted);
    }
    return Latencies.ofNanos(hops);
  }

  static Components measure(RabbitSettings rabbit, PostgresAdapter postgres, Execution sample, Path packs,
      Map<String, String> environment) {
    int rounds = 200;
    RawThroughputBenchmark.transportDispatchesPerSecond(rabbit, 100, 1);
    double publish = 1000 / RawThroughputBenchmark.transportDispatchesPerSecond(rabbit, 300, 1);
    Latencies hop = hop(rabbit, sample.id());
    List<Long> find = new ArrayList<>();
    List<Long> candidates = new ArrayList<>();
    List<Long> waiting = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      postgres.executions().find(sample.id());
      long found = System.nanoTime();
      postgres.directory().candidatesFor(sample.requirements());
      long listed = System.nanoTime();
      postgres.executions().waiting();
      long end = System.nanoTime();
      find.add(found - start);
      candidates.add(listed - found);
      waiting.add(end - listed);
    }
    ActionDefinition action = PacksDirectoryCatalog.load(packs).find(Submitter.ACTION).orElseThrow();
    ProcessActionRunner runner = new ProcessActionRunner(RunnerSettings.of(packs,
        Map.of(RuntimeName.of("shell"), Path.of("/bin/sh")), environment));
    List<Long> child = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long start = System.nanoTime();
      var outcome = runner.run(sample.id(), action, Map.of());
      child.add(System.nanoTime() - start);
      if (outcome.status() != ExecutionStatus.SUCCEEDED) {
        throw new IllegalStateException(Submitter.ACTION + " did not succeed alone: " + outcome);
      }
    }
    return new Components(publish, hop, Latencies.ofNanos(find), Latencies.ofNanos(candidates),
        Latencies.ofNanos(waiting), Latencies.ofNanos(child));
  }
}
