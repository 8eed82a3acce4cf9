package io.attune.worker.core.embed;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.port.in.ClaimWorkerNameUseCase.NameClaim;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The start of a worker's session: takes its name as the rule of one live owner allows, waiting up to
 * {@code nameWait} for a live holder to be gone, and hands on what the name's entry held for an earlier process
 * (gone, so each is requeued or abandoned), except what was placed after this process took the name.
 */
final class NameClaimant {

  private NameClaimant() {
  }

  /**
   * @throws ConfigurationException when a live process holds the name past {@code nameWait}
   */
  static Worker claim(WorkerLifecycleService lifecycle, RecoverLostExecutionsService recovery,
      WorkerRegistration registration, Duration nameWait, Clock clock, WorkerListener listener) {
    Instant giveUp = clock.instant().plus(nameWait);
    boolean told = false;
    while (true) {
      NameClaim claim = lifecycle.claim(registration);
      if (claim instanceof NameClaim.Claimed claimed) {
        listener.claimed(claimed.worker());
        claimed.takenFrom().ifPresent(earlier -> {
          Instant claimedAt = claimed.worker().lastHeartbeatAt().orElse(Instant.MAX);
          Recovery handedOn = recovery.recoverHeldBy(claimed.worker().id(), "restarted (its earlier process is gone)",
              claimedAt);
          listener.tookOver(earlier, claimed.why(), handedOn);
        });
        return claimed.worker();
      }
      NameClaim.Held held = (NameClaim.Held) claim;
      Instant now = clock.instant();
      if (!now.isBefore(giveUp)) {
        throw new ConfigurationException("worker name", held.why(), EmbeddedWorker.NAME_HELD
            + ": stop that process, start this one under another name, or let it wait for the name");
      }
      if (!told) {
        listener.waitingForName(held.why(), Duration.between(now, giveUp));
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
}
