package io.attune.worker.core.model.worker;

import io.attune.worker.core.model.capability.Capabilities;
import java.time.Instant;

/**
 * What the rules on a worker's state read of it: status, cordon, when its heartbeat turns stale, the executions and
 * GPUs it holds, and the capabilities that bound them; with those rules, spelled here once.
 *
 * <p>A {@link Worker} is one. The scheduler's fleet index is another: it reads the same values of each member from
 * primitive arrays, so that a decision judges thousands of workers without loading one, and reaches the same
 * verdicts. The instant a heartbeat turns stale is therefore given as two primitives instead of an {@link Instant}.
 */
public interface WorkerLoad {

  /** True when its status is {@link WorkerStatus#ACTIVE}. */
  boolean isActive();

  /** True when it takes no new executions. */
  boolean cordoned();

  /**
   * The epoch second of the instant its heartbeat turns stale (the last heartbeat plus {@link Worker#staleAfter()}),
   * {@link Long#MIN_VALUE} when it never sent one.
   */
  long staleFromSecond();

  /** The nanosecond within {@link #staleFromSecond()}; 0 when it never sent a heartbeat. */
  int staleFromNano();

  /** The executions it holds. */
  int running();

  /** The GPUs its executions hold. */
  int gpusInUse();

  /** What it advertises, here read for its concurrency limit and its GPUs. */
  Capabilities capabilities();

  /** True while the last heartbeat is younger than three intervals; exactly three intervals is stale. */
  default boolean isFresh(Instant now) {
    long staleFrom = staleFromSecond();
    long nowSecond = now.getEpochSecond();
    return staleFrom > nowSecond || staleFrom == nowSecond && staleFromNano() > now.getNano();
  }

  /** True when another execution fits within the concurrency limit. */
  default boolean hasFreeCapacity() {
    return running() < capabilities().maxConcurrentExecutions();
  }

  /**
   * True when {@code count} more GPUs of at least {@code minMemoryMib} are free. The GPUs in use are counted, not
   * named, so they are taken to be ones that would do: on a worker with GPUs of different sizes this may wait where
   * a free GPU would do, never the other way round.
   */
  default boolean hasFreeGpus(int count, int minMemoryMib) {
    return count == 0 || gpusInUse() + count <= capabilities().gpusWithAtLeast(minMemoryMib);
  }
}
