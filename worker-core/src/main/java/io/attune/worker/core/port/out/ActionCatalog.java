package io.attune.worker.core.port.out;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ref.ActionRef;
import java.util.List;
import java.util.Optional;

/** The actions of the installed packs. */
public interface ActionCatalog {

  Optional<ActionDefinition> find(ActionRef ref);

  /** The action a reference typed as text names; a text not of the form {@code <pack>.<name>} names none. */
  default Optional<ActionDefinition> find(String ref) {
    return ActionRef.tryParse(ref).flatMap(this::find);
  }

  /** Every action, sorted by reference. */
  List<ActionDefinition> all();
}
