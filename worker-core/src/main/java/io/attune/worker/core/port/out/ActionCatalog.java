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

  /**
   * Why an action the catalog does not offer is unusable, when it knows the action but had to skip it (a broken
   * file, say): a message naming the file and what was expected. Empty for an action it offers or never heard of.
   */
  default Optional<String> problem(ActionRef ref) {
    return Optional.empty();
  }
}
