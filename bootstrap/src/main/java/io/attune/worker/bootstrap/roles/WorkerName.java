package io.attune.worker.bootstrap.roles;

import io.attune.worker.adapter.rabbitmq.in.DispatchConsumer;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.worker.NameOwnership;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.in.ClaimWorkerNameUseCase;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process's name, the thing only one live process may hold: claimed at start-up as the core's rule allows
 * ({@link NameOwnership}), and lost when another process takes it over ({@link Loss}).
 */
final class WorkerName {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerName.class);

  private WorkerName() {
  }

  /**
   * Takes the worker's name, as the core's rule of one live owner allows ({@link NameOwnership}): at once when nobody
   * else alive holds it; after waiting up to {@code ATTUNE_WORKER_NAME_WAIT_SECONDS} for the holder to be gone; or
   * not at all. What a holder that is gone still held belonged to that process: it is handed on to other workers
   * (a new attempt each), except what was placed after this process took the name, which is this one's to run.
   *
   * @throws ConfigurationException (exit status 2) when a live process holds the name past the wait
   */
  static Worker claim(WorkerLifecycleService lifecycle, WorkerRegistration registration,
      AttuneConfig config, Clock clock, HandOn handOn) {
    Instant deadline = clock.instant().plus(config.workerNameWait());
    boolean told = false;
    while (true) {
      ClaimWorkerNameUseCase.NameClaim claim = lifecycle.claim(registration);
      if (claim instanceof ClaimWorkerNameUseCase.NameClaim.Claimed claimed) {
        claimed.takenFrom().ifPresent(earlier -> {
          LOG.warn("worker {}: took the name over from {}: {}", registration.name(),
              ProcessInstance.describe(earlier.instance()), claimed.why());
          recoverWhatAnEarlierProcessHeld(claimed.worker(), handOn);
        });
        return claimed.worker();
      }
      ClaimWorkerNameUseCase.NameClaim.Held held = (ClaimWorkerNameUseCase.NameClaim.Held) claim;
      if (!clock.instant().isBefore(deadline)) {
        throw new ConfigurationException("worker name", held.why(), "expected a name that no live worker process "
            + "holds: stop that process, start this one under another name (" + ConfigLoader.WORKER_NAME + "), or "
            + "let it wait for the name with --wait-for-name SECONDS (" + ConfigLoader.WORKER_NAME_WAIT + ")");
      }
      if (!told) {
        LOG.warn("{}; waiting up to {} s for it to end", held.why(), Duration.between(clock.instant(), deadline)
            .toSeconds());
        told = true;
      }
      try {
        Thread.sleep(Math.min(1_000, Math.max(100, held.holder().heartbeatInterval().toMillis() / 2)));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new ConfigurationException("worker name", held.why(), "interrupted while waiting for the name");
      }
    }
  }

  /**
   * What the name's entry still holds, placed before this process took it over, belonged to the earlier process,
   * now gone: each is handed on (a new attempt) or, with no attempt left, abandoned.
   */
  private static void recoverWhatAnEarlierProcessHeld(Worker taken, HandOn handOn) {
    Instant claimedAt = taken.lastHeartbeatAt().orElse(Instant.MAX);
    Recovery recovery = handOn.heldBy(taken.id(), "restarted (its earlier process is gone)", claimedAt);
    recovery.requeued().forEach(e -> LOG.warn("execution {} ({}) held by an earlier process of this worker: {}",
        e.id(), e.actionRef(), e.result().map(ExecutionResult::message).orElse("requeued")));
    recovery.abandoned().forEach(e -> LOG.warn("execution {} ({}) held by an earlier process of this worker: {}",
        e.id(), e.actionRef(), e.result().map(ExecutionResult::message).orElse("abandoned")));
  }

  /**
   * Connects the heartbeat, built before the role, to what it reports on: whether the dispatch queue is consumed,
   * and the role to stop when the name is lost.
   */
  static final class Loss {
    private volatile WorkerRole role;
    private volatile DispatchConsumer dispatches;
    /** The consumer's channel losses at the last heartbeat (the heartbeat thread's own). */
    private long lossesSeen;

    void role(WorkerRole started) {
      this.role = started;
    }

    void consuming(DispatchConsumer consumer) {
      this.dispatches = consumer;
      this.lossesSeen = consumer.consumerLosses();
    }

    /**
     * Whether the worker can take work: its dispatch consumer is consuming and did not lose its channel since the
     * last heartbeat. A consumer that crash-loops on a message it cannot receive is registered for a few
     * milliseconds of every reconnect, so a look at the moment alone would mostly see it consuming.
     */
    boolean takingWork() {
      DispatchConsumer consumer = dispatches;
      if (consumer == null || !consumer.isActive()) {
        return true; // not consuming yet, or closed by a drain: the status says so already
      }
      long losses = consumer.consumerLosses();
      boolean steady = losses == lossesSeen;
      lossesSeen = losses;
      return steady && consumer.isConsuming();
    }

    void lost(String why) {
      WorkerRole started = role;
      if (started != null) {
        started.loseName(why);
      }
    }
  }
}
