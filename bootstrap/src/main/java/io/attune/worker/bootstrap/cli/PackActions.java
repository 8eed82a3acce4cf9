package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.local.packs.PackProblem;
import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ref.ActionRef;
import java.util.Optional;

/** Finds an action named on the command line in the packs folder, or says why it cannot be used. */
final class PackActions {

  private PackActions() {
  }

  /**
   * The action {@code ref} of the configured packs folder.
   *
   * @throws ConfigurationException naming the broken file, the key with its line and what was expected, when the
   *     action's file (or its pack's pack.yaml) is wrong; else naming ACTION_REF, the actions there are and the
   *     folder, when there is no such action
   */
  static ActionDefinition find(AttuneConfig config, PacksDirectoryCatalog catalog, String ref) {
    Optional<ActionDefinition> action = catalog.find(ref);
    if (action.isPresent()) {
      return action.get();
    }
    Optional<PackProblem> skipped = ActionRef.tryParse(ref).flatMap(catalog::problemWith);
    if (skipped.isPresent()) {
      ConfigurationException error = skipped.get().error();
      throw new ConfigurationException(error.source(), error.entry(), error.expected() + " (action " + ref
          + " is skipped until this is fixed" + (skipped.get().wholePack() ? ", with the rest of pack "
          + skipped.get().pack() : "") + ")");
    }
    throw new ConfigurationException("ACTION_REF", "'" + ref + "'", "expected one of "
        + catalog.all().stream().map(ActionDefinition::ref).toList() + " (from " + config.packsDirectory() + ")");
  }

  /** The same, reading the configured packs folder. */
  static ActionDefinition find(AttuneConfig config, String ref) {
    return find(config, LocalMachine.catalog(config), ref);
  }
}
