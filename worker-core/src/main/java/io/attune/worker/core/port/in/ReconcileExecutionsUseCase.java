package io.attune.worker.core.port.in;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Map;

/**
 * The scheduler's periodic pass over executions that no message will move on: waiting ones are placed or, once they
 * have waited longer than the scheduling timeout since they were last queued, abandoned; scheduled ones whose
 * dispatch was evidently lost are queued again.
 */
public interface ReconcileExecutionsUseCase {

  Sweep sweep();

  /**
   * A pass after capacity freed (a result came in): places the oldest waiting executions of the runtimes that have
   * free slots, about as many as there are slots, and nothing else. Cheaper than {@link #sweep()} while a long queue
   * waits for a few slots; executions of other runtimes and lost dispatches are left to the next full sweep.
   *
   * @param freeSlots free slots by runtime as the scheduler's view counts them; runtimes with none may be left out
   */
  Sweep fillFreeSlots(Map<RuntimeName, Integer> freeSlots);

  /**
   * What one pass did.
   *
   * @param pausedBecause present when the pass did nothing because dispatches cannot be sent now (the broker blocks
   *     publishers): nothing is placed, requeued or abandoned while the transport, not the fleet, holds work back
   */
  record Sweep(List<ScheduleExecutionUseCase.Scheduling> placements, List<Execution> abandoned,
      List<Execution> requeued, Optional<String> pausedBecause) {
    public Sweep {
      placements = List.copyOf(placements);
      abandoned = List.copyOf(abandoned);
      requeued = List.copyOf(requeued);
      Objects.requireNonNull(pausedBecause, "pausedBecause");
    }

    /** A pass that did what it found to do. */
    public Sweep(List<ScheduleExecutionUseCase.Scheduling> placements, List<Execution> abandoned,
        List<Execution> requeued) {
      this(placements, abandoned, requeued, Optional.empty());
    }

    /** A pass that did nothing, and why. */
    public static Sweep paused(String because) {
      return new Sweep(List.of(), List.of(), List.of(), Optional.of(because));
    }
  }
}
