package io.attune.worker.core.adapter.out.memory;

import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.port.out.ActionCatalog;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A fixed set of actions, for embedding and tests; packs on disk are read by the command-line adapter. */
public final class InMemoryActionCatalog implements ActionCatalog {

  private final Map<ActionRef, ActionDefinition> byRef;

  public InMemoryActionCatalog(Collection<ActionDefinition> actions) {
    Map<ActionRef, ActionDefinition> map = new TreeMap<>();
    for (ActionDefinition action : actions) {
      if (map.put(action.ref(), action) != null) {
        throw new IllegalArgumentException("action " + action.ref() + " is defined twice");
      }
    }
    this.byRef = java.util.Collections.unmodifiableMap(map);
  }

  @Override
  public Optional<ActionDefinition> find(ActionRef ref) {
    return Optional.ofNullable(byRef.get(ref));
  }

  @Override
  public List<ActionDefinition> all() {
    return List.copyOf(byRef.values());
  }
}
