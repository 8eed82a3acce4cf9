package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The rules on a worker's state: status, cordon, heartbeat, free capacity and free GPUs. Each verdict is the
 * {@link WorkerLoad}'s, so a worker and a member of a fleet group are judged by the same lines.
 */
final class StateRules {

  private StateRules() {
  }

  /** Only an active worker takes new executions: not a draining or an inactive one. */
  static final class IsActive extends StateRule {
    IsActive() {
      super(RejectionCode.INACTIVE, (action, worker, now) -> "status is " + worker.status().wireName());
    }

    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return worker.isActive();
    }
  }

  /** A cordoned worker finishes what it holds and takes nothing new. */
  static final class NotCordoned extends StateRule {
    NotCordoned() {
      super(RejectionCode.CORDONED, (action, worker, now) -> "cordoned: takes no new executions");
    }

    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return !worker.cordoned();
    }
  }

  /** A worker whose heartbeat is stale may be gone. */
  static final class HeartbeatFresh extends StateRule {
    HeartbeatFresh() {
      super(RejectionCode.HEARTBEAT_STALE, HeartbeatFresh::detail);
    }

    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return worker.isFresh(now);
    }

    private static String detail(ActionRequirements action, Worker worker, Instant now) {
      return worker.heartbeatAge(now).map(age -> "last heartbeat " + seconds(age) + " ago, stale from "
          + seconds(worker.staleAfter()) + " (3 x " + seconds(worker.heartbeatInterval()) + ")")
          .orElse("has never sent a heartbeat");
    }
  }

  /** A worker takes no more executions at once than its concurrency limit. */
  static final class HasFreeCapacity extends StateRule {
    HasFreeCapacity() {
      super(RejectionCode.AT_CAPACITY, (action, worker, now) -> "running " + worker.running() + " of "
          + worker.capabilities().maxConcurrentExecutions());
    }

    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return worker.hasFreeCapacity();
    }
  }

  /**
   * Enough of the worker's GPUs with the memory asked are free; a worker that has too few such GPUs at all is the
   * capability rule {@code gpu}'s to report, as waiting would not help.
   */
  static final class GpusFree extends StateRule {
    GpusFree() {
      super(RejectionCode.GPU_BUSY, GpusFree::detail);
    }

    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return worker.hasFreeGpus(gpu.count(), gpu.minMemoryMib())
          || worker.capabilities().gpusWithAtLeast(gpu.minMemoryMib()) < gpu.count();
    }

    private static String detail(ActionRequirements action, Worker worker, Instant now) {
      int gpus = worker.capabilities().gpus().size();
      int fitting = worker.capabilities().gpusWithAtLeast(action.gpu().minMemoryMib());
      return "needs " + action.gpu() + ", " + worker.gpusInUse() + " of its " + gpus + " GPU" + (gpus == 1 ? "" : "s")
          + " in use" + (fitting == gpus ? "" : " (" + fitting + " with enough memory)");
    }
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
