package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The rules on a worker's state: status, cordon, heartbeat, and room for the action in every resource kind (slots,
 * GPUs, ...). Each verdict reads only the {@link WorkerLoad}, so a worker and a member of a fleet group are judged by
 * the same lines.
 */
public final class StateRules {

  private StateRules() {
  }

  /** Only an active worker takes new executions: not a draining or an inactive one. */
  static final class IsActive extends StateRule {
    IsActive() {
      super(RejectionCode.INACTIVE, (action, worker, now) -> "status is " + worker.status().wireName());
    }

    @Override
    public boolean admits(ActionRequirements action, WorkerLoad worker, Instant now) {
      return worker.isActive();
    }
  }

  /** A cordoned worker finishes what it holds and takes nothing new. */
  static final class NotCordoned extends StateRule {
    NotCordoned() {
      super(RejectionCode.CORDONED, (action, worker, now) -> "cordoned: takes no new executions");
    }

    @Override
    public boolean admits(ActionRequirements action, WorkerLoad worker, Instant now) {
      return !worker.cordoned();
    }
  }

  /** A worker whose heartbeat is stale may be gone. */
  static final class HeartbeatFresh extends StateRule {
    HeartbeatFresh() {
      super(RejectionCode.HEARTBEAT_STALE, HeartbeatFresh::detail);
    }

    @Override
    public boolean admits(ActionRequirements action, WorkerLoad worker, Instant now) {
      return worker.isFresh(now);
    }

    private static String detail(ActionRequirements action, Worker worker, Instant now) {
      return worker.heartbeatAge(now).map(age -> "last heartbeat " + seconds(age) + " ago, stale from "
          + seconds(worker.staleAfter()) + " (3 x " + seconds(worker.heartbeatInterval()) + ")")
          .orElse("has never sent a heartbeat");
    }
  }

  /**
   * What the action asks of a resource kind is free on the worker: a slot of its concurrency limit, the GPUs, ... A
   * worker that offers too little even with nothing reserved is a capability rule's to report (GPUs: {@code gpu}), as
   * waiting would not help.
   */
  public static final class ResourceFree extends StateRule {
    private final ResourceKind kind;

    ResourceFree(ResourceKind kind) {
      super(kind.code(), (action, worker, now) -> kind.detail(action, worker));
      this.kind = kind;
    }

    @Override
    public boolean admits(ActionRequirements action, WorkerLoad worker, Instant now) {
      return kind.fits(action, worker) || kind.neverFits(action, worker.capabilities());
    }
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
