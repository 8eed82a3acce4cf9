package io.attune.worker.bootstrap.roles;

import io.attune.worker.bootstrap.logging.LogContext;
import io.attune.worker.core.embed.WorkerListener;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker role's ear on its core session: the worker's log lines (each naming the worker, whatever the thread),
 * its health file and readiness kept at each heartbeat, its dispatch queue declared as soon as it holds its name,
 * and the role told when another process took the name over.
 */
final class SessionListener implements WorkerListener {

  /** The role's logger: these are the worker's lines, and operators filter on its name. */
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRole.class);

  private final String name;
  private final ProcessInstance me;
  private final HealthFile healthFile;
  private final WorkerHealthTracker health;
  private final Clock clock;
  private final Consumer<WorkerId> declareQueue;
  private volatile WorkerId id;
  private volatile Runnable onNameLost = () -> { };
  /** What the last recorded heartbeat said (the heartbeat thread's own). */
  private boolean wasTakingWork = true;

  /**
   * @param clock this process's time, for the health file
   * @param declareQueue declares the worker's dispatch queue, before anything can be placed on it
   */
  SessionListener(String name, ProcessInstance me, HealthFile healthFile, WorkerHealthTracker health, Clock clock,
      Consumer<WorkerId> declareQueue) {
    this.name = name;
    this.me = me;
    this.healthFile = healthFile;
    this.health = health;
    this.clock = clock;
    this.declareQueue = declareQueue;
  }

  /** What to do once the name is lost and the session has stopped taking and running work. */
  void whenNameLost(Runnable then) {
    this.onNameLost = then;
  }

  @Override
  public void waitingForName(String why, Duration upTo) {
    named(() -> LOG.warn("{}; waiting up to {} s for it to end", why, upTo.toSeconds()));
  }

  @Override
  public void claimed(Worker worker) {
    id = worker.id();
    declareQueue.accept(worker.id());
    healthFile.heartbeatStored(clock.instant());
    health.heartbeatStored(clock.instant());
  }

  @Override
  public void tookOver(NameHolder earlier, String why, Recovery handedOn) {
    named(() -> {
      LOG.warn("worker {}: took the name over from {}: {}", name, ProcessInstance.describe(earlier.instance()), why);
      handedOn.requeued().forEach(e -> LOG.warn("execution {} ({}) held by an earlier process of this worker: {}",
          e.id(), e.actionRef(), e.result().map(ExecutionResult::message).orElse("requeued")));
      handedOn.abandoned().forEach(e -> LOG.warn("execution {} ({}) held by an earlier process of this worker: {}",
          e.id(), e.actionRef(), e.result().map(ExecutionResult::message).orElse("abandoned")));
    });
  }

  @Override
  public void beatRecorded(boolean takingWork) {
    named(() -> logTakingWork(takingWork));
    healthFile.heartbeatStored(clock.instant());
    health.heartbeatStored(clock.instant());
  }

  private void logTakingWork(boolean taking) {
    if (taking == wasTakingWork) {
      return;
    }
    wasTakingWork = taking;
    if (taking) {
      LOG.info("worker {} consumes its dispatch queue again: marked active", name);
    } else {
      LOG.warn("worker {} cannot consume its dispatch queue: marked error, no new work is placed on it until it "
          + "can (what it runs goes on)", name);
    }
  }

  @Override
  public void beatFailed(String why) {
    health.heartbeatFailed(why);
    named(() -> LOG.warn("heartbeat of worker {} failed: {}", name, why));
  }

  @Override
  public void registeredAgain(Worker again) {
    named(() -> {
      LOG.warn("the registry no longer knows worker {}: registering again", name);
      if (!again.id().equals(id)) {
        // its queue and its consumer belong to the old id: nothing is dispatched to the new one until a restart
        LOG.warn("worker {} registered again under a new id {} (was {}): restart it to take work", name, again.id(),
            id);
      }
    });
  }

  @Override
  public void stoppedRuns(List<ExecutionId> cancelled, List<ExecutionId> taken) {
    named(() -> {
      if (!cancelled.isEmpty()) {
        LOG.info("worker {}: cancel requested of {}, found in the store: stopping", name, cancelled);
      }
      if (!taken.isEmpty()) {
        LOG.warn("worker {}: {} taken from this worker (a later attempt runs, or the execution ended): ending their "
            + "process trees", name, taken);
      }
    });
  }

  @Override
  public void draining(int running, Duration grace) {
    named(() -> LOG.info("worker {} draining: no new work; {} running, grace {} s", name, running,
        grace.toSeconds()));
  }

  @Override
  public void handedOn(int stillRunning, Recovery handedOn) {
    named(() -> {
      LOG.warn("worker {}: {} executions still running after the grace period: handing them to other workers", name,
          stillRunning);
      handedOn.requeued().forEach(e -> LOG.warn("execution {} ({}) requeued for another worker", e.id(),
          e.actionRef()));
      handedOn.abandoned().forEach(e -> LOG.warn("execution {} ({}) abandoned: {}", e.id(), e.actionRef(),
          e.result().map(ExecutionResult::message).orElse("")));
    });
  }

  @Override
  public void inactive() {
    named(() -> LOG.info("worker {} marked inactive", name));
  }

  @Override
  public void nameLost(String why) {
    named(() -> LOG.error("worker {}: this process ({}) no longer holds the worker name: {}. It stops: takes no more "
        + "work and ends what it runs, which was handed on to other workers", name, me.describe(), why));
    onNameLost.run();
  }

  @Override
  public void trouble(String what) {
    named(() -> LOG.warn("{}", what));
  }

  private void named(Runnable logging) {
    try (LogContext.Scope named = LogContext.worker(name)) {
      logging.run();
    }
  }
}
