package io.attune.worker.core.port.out;

import io.attune.worker.core.model.worker.Worker;
import java.time.Instant;
import java.util.List;

/** Which workers went silent: what liveness reads before it marks them inactive and recovers their work. */
@FunctionalInterface
public interface WorkerLiveness {

  /** Workers not marked inactive (active or draining) whose last heartbeat is at least three intervals old. */
  List<Worker> staleActive(Instant now);
}
