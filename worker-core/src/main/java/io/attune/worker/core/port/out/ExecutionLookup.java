package io.attune.worker.core.port.out;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import java.util.Optional;

/** Reads one execution by its id: what people, schedulers and workers all need before they change it. */
public interface ExecutionLookup {

  /** The execution as stored; empty when there is none with that id. */
  Optional<Execution> find(ExecutionId id);
}
