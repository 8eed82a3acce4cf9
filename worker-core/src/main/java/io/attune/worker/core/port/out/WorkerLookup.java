package io.attune.worker.core.port.out;

import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import java.util.List;
import java.util.Optional;

/** Reads workers for people and for counting them. {@link Worker#running()} is the capacity reserved on each. */
public interface WorkerLookup {

  Optional<Worker> byId(WorkerId id);

  Optional<Worker> byName(String name);

  /** Every worker, sorted by name. */
  List<Worker> all();
}
