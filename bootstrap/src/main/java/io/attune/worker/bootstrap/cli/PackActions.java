package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.port.out.ActionCatalog;

/** Finds an action named on the command line in the packs folder, or says which ones there are. */
final class PackActions {

  private PackActions() {
  }

  /**
   * The action {@code ref} of the configured packs folder.
   *
   * @throws ConfigurationException naming ACTION_REF, the actions there are and the folder, when there is none
   */
  static ActionDefinition find(AttuneConfig config, ActionCatalog catalog, String ref) {
    return catalog.find(ref).orElseThrow(() -> new ConfigurationException("ACTION_REF", "'" + ref + "'",
        "expected one of " + catalog.all().stream().map(ActionDefinition::ref).toList() + " (from "
            + config.packsDirectory() + ")"));
  }

  /** The same, reading the configured packs folder. */
  static ActionDefinition find(AttuneConfig config, String ref) {
    return find(config, LocalMachine.catalog(config), ref);
  }
}
