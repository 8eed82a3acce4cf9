package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionQuery;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.ExecutionStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** A thread-safe execution store in memory; reserves capacity on the workers of an {@link InMemoryWorkerRegistry}. */
public final class InMemoryExecutionStore implements ExecutionStore {

  private final Object lock = new Object();
  private final Map<ExecutionId, Execution> executions = new HashMap<>();
  private final InMemoryWorkerRegistry workers;
  private long nextId = 1;

  public InMemoryExecutionStore(InMemoryWorkerRegistry workers) {
    this.workers = workers;
  }

  @Override
  public Execution create(ExecutionRequest request, Instant now) {
    synchronized (lock) {
      Execution execution = Execution.requested(new ExecutionId(nextId++), request, now);
      executions.put(execution.id(), execution);
      return execution;
    }
  }

  @Override
  public Optional<Execution> find(ExecutionId id) {
    synchronized (lock) {
      return Optional.ofNullable(executions.get(id));
    }
  }

  @Override
  public Assignment assign(ExecutionId id, WorkerId worker, Instant now) {
    synchronized (lock) {
      Execution execution = existing(id);
      if (execution.status() != ExecutionStatus.REQUESTED) {
        return new Assignment.NotWaiting(execution);
      }
      if (!workers.tryReserve(worker, execution.requirements(), now)) {
        return new Assignment.WorkerFull(worker);
      }
      Transition scheduled = execution.schedule(worker, now);
      executions.put(id, scheduled.execution());
      return new Assignment.Assigned(scheduled.execution());
    }
  }

  @Override
  public Transition start(ExecutionId id, int attempt, WorkerId worker, Instant now) {
    return change(id, e -> e.start(attempt, worker, now));
  }

  @Override
  public Optional<Transition> startDispatched(ExecutionId id, int attempt, WorkerId worker, Instant now) {
    synchronized (lock) {
      return executions.containsKey(id) ? Optional.of(start(id, attempt, worker, now)) : Optional.empty();
    }
  }

  @Override
  public Transition finish(ExecutionId id, int attempt, ExecutionStatus outcome, ExecutionResult result,
      Instant now) {
    return change(id, e -> e.finish(attempt, outcome, result, now));
  }

  @Override
  public Transition markUnschedulable(ExecutionId id, ExecutionResult explanation, Instant now) {
    return change(id, e -> e.markUnschedulable(explanation, now));
  }

  @Override
  public Transition recover(ExecutionId id, int attempt, boolean requeue, String reason, Instant now) {
    return change(id, e -> requeue ? e.requeue(attempt, reason, now) : e.abandon(attempt, reason, now));
  }

  @Override
  public Transition requeueUndelivered(ExecutionId id, int attempt, String reason, Instant now) {
    return change(id, e -> e.requeueUndelivered(attempt, reason, now));
  }

  @Override
  public Transition recoverFromLostWorker(ExecutionId id, int attempt, boolean requeue, String reason, Instant now) {
    synchronized (lock) {
      Execution execution = existing(id);
      boolean lost = execution.worker().flatMap(workers::byId).map(w -> w.isLost(now)).orElse(true);
      if (!lost) {
        return new Transition.Refused(execution, "worker " + execution.worker().orElseThrow()
            + " holding execution " + id + " is no longer lost");
      }
      return recover(id, attempt, requeue, reason, now);
    }
  }

  @Override
  public Transition requestCancel(ExecutionId id, String reason, Instant now) {
    return change(id, e -> e.requestCancel(reason, now));
  }

  @Override
  public List<Execution> list(ExecutionQuery query) {
    synchronized (lock) {
      return executions.values().stream()
          .filter(query::matches)
          .sorted(Comparator.comparing((Execution e) -> e.id().value()).reversed())
          .limit(query.limit())
          .toList();
    }
  }

  @Override
  public List<Execution> heldBy(WorkerId worker) {
    synchronized (lock) {
      return executions.values().stream()
          .filter(e -> e.status().holdsWorker() && e.worker().equals(Optional.of(worker)))
          .sorted(Comparator.comparing(e -> e.id().value()))
          .toList();
    }
  }

  @Override
  public List<Execution> heldByLostWorkers(Instant now) {
    synchronized (lock) {
      return executions.values().stream()
          .filter(e -> e.status().holdsWorker())
          .filter(e -> e.worker().flatMap(workers::byId).map(w -> w.isLost(now)).orElse(true))
          .sorted(Comparator.comparing(e -> e.id().value()))
          .toList();
    }
  }

  @Override
  public List<Execution> waiting(int limit) {
    return waiting(e -> true, limit);
  }

  @Override
  public List<Execution> waitingFor(Set<RuntimeName> runtimes, int limit) {
    Set<RuntimeName> wanted = Set.copyOf(runtimes);
    return waiting(e -> wanted.contains(e.requirements().runtime()), limit);
  }

  private List<Execution> waiting(Predicate<Execution> which, int limit) {
    synchronized (lock) {
      return executions.values().stream()
          .filter(e -> e.status() == ExecutionStatus.REQUESTED)
          .filter(which)
          .sorted(Comparator.comparing(Execution::requestedAt).thenComparing(e -> e.id().value()))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public List<Execution> scheduledBefore(Instant cutoff, int limit) {
    synchronized (lock) {
      return executions.values().stream()
          .filter(e -> e.status() == ExecutionStatus.SCHEDULED && !e.since().isAfter(cutoff))
          .sorted(Comparator.comparing(Execution::since).thenComparing(e -> e.id().value()))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public Optional<WorkerId> lastSucceededOn(ActionRef action) {
    synchronized (lock) {
      return executions.values().stream()
          .filter(e -> e.status() == ExecutionStatus.SUCCEEDED && e.actionRef().equals(action)
              && e.worker().isPresent() && e.endedAt().isPresent())
          .max(Comparator.comparing((Execution e) -> e.endedAt().orElseThrow())
              .thenComparing(e -> e.id().value()))
          .flatMap(Execution::worker);
    }
  }

  /** Applies a change under the lock, freeing the worker's slot when the execution stops holding it. */
  private Transition change(ExecutionId id, Function<Execution, Transition> change) {
    synchronized (lock) {
      Execution execution = existing(id);
      Transition transition = change.apply(execution);
      if (transition.applied()) {
        Execution after = transition.execution();
        executions.put(id, after);
        if (execution.status().holdsWorker() && !after.status().holdsWorker()) {
          execution.worker().ifPresent(worker -> workers.release(worker, execution.requirements()));
        }
      }
      return transition;
    }
  }

  private Execution existing(ExecutionId id) {
    Execution execution = executions.get(id);
    if (execution == null) {
      throw new IllegalArgumentException("no execution " + id);
    }
    return execution;
  }
}
