package io.attune.worker.core.port.in;

import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import java.util.Optional;

/** A worker process starting under a name takes it, as the rule of one live owner per name allows. */
public interface ClaimWorkerNameUseCase {
  /**
   * A process starting under a name takes it only if nobody else alive holds it (see
   * {@link io.attune.worker.core.model.worker.NameOwnership}), in one step with the registration.
   *
   * @param registration with this process's instance
   */
  NameClaim claim(WorkerRegistration registration);

  /** The answer to {@link #claim}. */
  sealed interface NameClaim {

    /**
     * Registered under the name.
     *
     * @param takenFrom the entry of a process that is gone, whose executions this process must hand on (they were
     *     that process's, not this one's); empty when the name was free or already this process's
     */
    record Claimed(Worker worker, Optional<NameHolder> takenFrom, String why) implements NameClaim {
    }

    /** A live process holds the name: this one must not start under it (or must wait until that one is gone). */
    record Held(NameHolder holder, String why) implements NameClaim {
    }
  }
}
