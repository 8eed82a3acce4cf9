package io.attune.worker.benchmarks.system;

import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.service.SubmitExecutionService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client that submits as {@code attune-worker submit} does (store the execution, then announce it with a
 * confirmed {@code execution.request}), and learns of ends from the {@code execution.result} announcements, with the
 * database as the fallback for an announcement that never came.
 */
final class Submitter implements AutoCloseable {

  /** The benchmark's action. */
  static final String ACTION = "bench.noop";

  private final PostgresAdapter postgres;
  private final RabbitAdapter rabbit;
  private final SubmitExecutionService submissions;
  private final Map<ExecutionId, CompletableFuture<String>> ends = new ConcurrentHashMap<>();
  private final AtomicReference<ExecutionId> last = new AtomicReference<>();
  private Subscription results;

  private Submitter(PostgresAdapter postgres, RabbitAdapter rabbit, Clock clock, BenchSettings settings) {
    this.postgres = postgres;
    this.rabbit = rabbit;
    this.submissions = new SubmitExecutionService(PacksDirectoryCatalog.load(settings.packsDirectory()),
        postgres.executions(), clock, ParameterCap.NONE, ExecutionEvents.NONE);
  }

  static Submitter connect(BenchSettings settings, Clock clock) {
    PostgresAdapter postgres = PostgresAdapter.connect(PostgresSettings.of(settings.databaseUrl(),
        settings.databaseUser(), settings.databasePassword()));
    try {
      RabbitAdapter rabbit = RabbitAdapter.connect(new RabbitSettings(settings.mqUrl(), "attune-bench-submit"),
          clock);
      Submitter submitter = new Submitter(postgres, rabbit, clock, settings);
      submitter.results = rabbit.consumeResults(r -> submitter.end(r.executionId()).complete(r.status()));
      return submitter;
    } catch (RuntimeException failed) {
      postgres.close();
      throw failed;
    }
  }

  /** What one submission cost the client: storing the row, then the confirmed announcement. */
  record Submitted(ExecutionId id, long storeNanos, long announceNanos) {
  }

  Submitted submit() {
    long start = System.nanoTime();
    Submission submission = submissions.submit(ACTION, Map.of());
    if (!(submission instanceof Submission.Accepted accepted)) {
      throw new IllegalStateException(ACTION + " was not accepted: " + submission);
    }
    long stored = System.nanoTime();
    ExecutionId id = accepted.execution().id();
    last.set(id);
    rabbit.requests().publish(id);
    return new Submitted(id, stored - start, System.nanoTime() - stored);
  }

  /**
   * Waits until every execution has ended: announced, or else terminal in the database.
   *
   * @throws TimeoutException naming how many are still open after the timeout
   */
  void awaitEnds(Collection<ExecutionId> ids, Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ExecutionId> open = new ArrayList<>();
    for (ExecutionId id : ids) {
      try {
        end(id).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException notAnnounced) {
        if (!find(id).status().isTerminal()) {
          open.add(id);
        }
      } catch (ExecutionException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    if (!open.isEmpty()) {
      throw new TimeoutException(open.size() + " of " + ids.size() + " executions had not ended after "
          + timeout.toSeconds() + " s, e.g. " + find(open.get(0)));
    }
  }

  /** The execution submitted last. */
  ExecutionId lastSubmitted() {
    return Optional.ofNullable(last.get()).orElseThrow(() -> new IllegalStateException("nothing submitted yet"));
  }

  /** The client's database, for the benchmark's own measurements. */
  PostgresAdapter postgres() {
    return postgres;
  }

  Execution find(ExecutionId id) {
    return postgres.executions().find(id).orElseThrow(() -> new IllegalStateException("no execution " + id));
  }

  private CompletableFuture<String> end(ExecutionId id) {
    return ends.computeIfAbsent(id, k -> new CompletableFuture<>());
  }

  @Override
  public void close() {
    if (results != null) {
      results.close();
    }
    rabbit.close();
    postgres.close();
  }
}
