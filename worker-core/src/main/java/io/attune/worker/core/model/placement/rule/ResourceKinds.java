package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerLoad;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The resource kinds that executions reserve on their workers, and what an execution reserves of all of them. */
public final class ResourceKinds {

  /** One slot per execution, of the worker's {@code max_concurrent_executions}. */
  public static final ResourceKind SLOTS = new ResourceKind(Reservations.SLOTS, false, RejectionCode.AT_CAPACITY) {
    @Override
    public String key(ActionRequirements action) {
      return null;
    }

    @Override
    public int demand(ActionRequirements action) {
      return 1;
    }

    @Override
    public int offered(Capabilities capabilities, ActionRequirements action) {
      return capabilities.maxConcurrentExecutions();
    }

    @Override
    String detail(ActionRequirements action, Worker worker) {
      return "running " + worker.running() + " of " + worker.capabilities().maxConcurrentExecutions();
    }
  };

  /**
   * The GPUs the action asks for, of the worker's GPUs with at least the memory it asks. The GPUs in use are counted,
   * not named, so they are taken to be ones that would do: on a worker with GPUs of different sizes this may wait
   * where a free GPU would do, never the other way round.
   */
  public static final ResourceKind GPUS = new ResourceKind("gpus", false, RejectionCode.GPU_BUSY) {
    @Override
    public String key(ActionRequirements action) {
      return null;
    }

    @Override
    public int demand(ActionRequirements action) {
      return action.gpu().count();
    }

    @Override
    public int offered(Capabilities capabilities, ActionRequirements action) {
      return capabilities.gpusWithAtLeast(action.gpu().minMemoryMib());
    }

    @Override
    String detail(ActionRequirements action, Worker worker) {
      int gpus = worker.capabilities().gpus().size();
      int fitting = offered(worker.capabilities(), action);
      return "needs " + action.gpu() + ", " + reserved(action, worker) + " of its " + gpus + " GPU"
          + (gpus == 1 ? "" : "s") + " in use" + (fitting == gpus ? "" : " (" + fitting + " with enough memory)");
    }
  };

  /** Every kind, in the order their rejections are reported. */
  public static final List<ResourceKind> STANDARD = List.of(SLOTS, GPUS);

  private ResourceKinds() {
  }

  /** What an execution of the action reserves of every kind, by counter. */
  public static Reservations demand(ActionRequirements action) {
    Map<String, Integer> demand = new HashMap<>();
    for (ResourceKind kind : STANDARD) {
      demand.merge(kind.counter(action), kind.demand(action), Integer::sum);
    }
    return Reservations.of(demand);
  }

  /**
   * True when what the action asks of every kind is free on the worker: the check of a store that reserves them,
   * in full (a state rule leaves a worker that could never have enough to a capability rule).
   */
  public static boolean fit(ActionRequirements action, WorkerLoad worker) {
    for (int i = 0; i < STANDARD.size(); i++) {
      if (!STANDARD.get(i).fits(action, worker)) {
        return false;
      }
    }
    return true;
  }
}
