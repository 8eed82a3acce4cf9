package io.attune.worker.core.port.out;

import io.attune.worker.core.model.action.ActionDefinition;
import java.util.List;
import java.util.Optional;

/** The actions of the installed packs. */
public interface ActionCatalog {

  Optional<ActionDefinition> find(String ref);

  /** Every action, sorted by reference. */
  List<ActionDefinition> all();
}
