package io.attune.worker.core.model.worker;

import io.attune.worker.core.model.capability.Capabilities;
import java.time.Instant;

/**
 * What the rules on a worker's state read of it: status, cordon, when its heartbeat turns stale, what its executions
 * reserve of each resource kind (slots, GPUs, ...), and the capabilities that bound them.
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

  /**
   * What its executions reserve of a resource kind: {@link Reservations#of(String, String)} of the kind's name and, for
   * a kind counted per key, the key ({@code null} otherwise).
   */
  int reserved(String kind, String key);

  /** What it advertises, here read for what it offers of each resource kind. */
  Capabilities capabilities();

  /** True while the last heartbeat is younger than three intervals; exactly three intervals is stale. */
  default boolean isFresh(Instant now) {
    long staleFrom = staleFromSecond();
    long nowSecond = now.getEpochSecond();
    return staleFrom > nowSecond || staleFrom == nowSecond && staleFromNano() > now.getNano();
  }
}
