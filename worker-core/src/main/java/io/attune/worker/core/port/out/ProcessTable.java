package io.attune.worker.core.port.out;

import java.time.Instant;

/** The machine's processes, as far as telling whether an earlier holder of a worker name still runs here goes. */
@FunctionalInterface
public interface ProcessTable {

  /**
   * True when a process with this id runs here and started at {@code startedAt} (to the second: a reused process id
   * belongs to a process started later). When that cannot be told, true: an unknown holder counts as alive.
   */
  boolean isRunning(long pid, Instant startedAt);
}
