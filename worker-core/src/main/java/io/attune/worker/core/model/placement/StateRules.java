package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules on a worker's state: status, cordon, heartbeat, free capacity and free GPUs. Each verdict is the
 * {@link WorkerLoad}'s, so a worker and a member of a fleet group are judged by the same lines.
 */
final class StateRules {

  private StateRules() {
  }

  static final class IsActive extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.INACTIVE;
    }

    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return worker.isActive();
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      return "status is " + worker.status().wireName();
    }
  }

  static final class NotCordoned extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.CORDONED;
    }

    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return !worker.cordoned();
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      return "cordoned: takes no new executions";
    }
  }

  static final class HeartbeatFresh extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.HEARTBEAT_STALE;
    }

    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return worker.isFresh(now);
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      Optional<Duration> age = worker.heartbeatAge(now);
      return age.map(a -> "last heartbeat " + seconds(a) + " ago, stale from " + seconds(worker.staleAfter())
          + " (3 x " + seconds(worker.heartbeatInterval()) + ")").orElse("has never sent a heartbeat");
    }
  }

  static final class HasFreeCapacity extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.AT_CAPACITY;
    }

    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return worker.hasFreeCapacity();
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      return "running " + worker.running() + " of " + worker.capabilities().maxConcurrentExecutions();
    }
  }

  static final class GpusFree extends StateRule {
    @Override
    public RejectionCode code() {
      return RejectionCode.GPU_BUSY;
    }

    /**
     * Enough of the worker's GPUs with the memory asked are free; a worker that has too few such GPUs at all is the
     * capability rule {@code gpu}'s to report, as waiting would not help.
     */
    @Override
    boolean admits(GpuRequirement gpu, WorkerLoad worker, Instant now) {
      return worker.hasFreeGpus(gpu.count(), gpu.minMemoryMib())
          || worker.capabilities().gpusWithAtLeast(gpu.minMemoryMib()) < gpu.count();
    }

    @Override
    String detail(ActionRequirements action, Worker worker, Instant now) {
      int fitting = worker.capabilities().gpusWithAtLeast(action.gpu().minMemoryMib());
      return "needs " + action.gpu() + ", " + worker.gpusInUse() + " of its " + worker.capabilities().gpus().size()
          + " GPU" + (worker.capabilities().gpus().size() == 1 ? "" : "s") + " in use"
          + (fitting == worker.capabilities().gpus().size() ? "" : " (" + fitting + " with enough memory)");
    }
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
