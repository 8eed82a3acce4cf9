package io.attune.worker.core.model.placement.rule;

import java.util.Locale;

/** Why a worker cannot take an execution; the transient codes would clear on an idle, healthy worker. */
public enum RejectionCode {
  RUNTIME_MISSING(false),
  RUNTIME_VERSION(false),
  REQUIRED_RUNTIME(false),
  /** The worker serves other packs only. */
  PACK_NOT_SERVED(false),
  /** The worker has too few GPUs, or too few with enough memory, even when all are free. */
  GPU(false),
  INACTIVE(true),
  CORDONED(true),
  HEARTBEAT_STALE(true),
  AT_CAPACITY(true),
  /** The worker's GPUs that would do are taken by executions it holds. */
  GPU_BUSY(true),
  SELECTOR(false),
  TAINT(false),
  AFFINITY(false),
  ANTI_AFFINITY(false);

  private final boolean transientCondition;

  RejectionCode(boolean transientCondition) {
    this.transientCondition = transientCondition;
  }

  /** The lowercase code used in JSON, such as {@code runtime_missing}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * True for busy, stale, inactive or cordoned: a worker rejected only for such reasons could run the action later,
   * so the execution should wait rather than fail.
   */
  public boolean isTransient() {
    return transientCondition;
  }
}
