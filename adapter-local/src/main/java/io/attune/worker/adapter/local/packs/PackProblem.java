package io.attune.worker.adapter.local.packs;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ref.ActionRef;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A file of the packs folder that was skipped because it is wrong: a {@code pack.yaml} or a pack folder (the whole
 * pack is skipped) or an action file (that action is skipped).
 *
 * @param file the file (or pack folder) that is wrong
 * @param pack the pack folder it belongs to
 * @param action the action it defines, when it is an action file whose name makes one
 * @param wholePack whether the whole pack is skipped because of it
 * @param error what is wrong: the file, the key with its line, what was expected
 */
public record PackProblem(Path file, String pack, Optional<ActionRef> action, boolean wholePack,
    ConfigurationException error) {

  public PackProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pack, "pack");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(error, "error");
  }

  static PackProblem ofPack(Path file, String pack, ConfigurationException error) {
    return new PackProblem(file, pack, Optional.empty(), true, error);
  }

  static PackProblem ofAction(Path file, String pack, Optional<ActionRef> action, ConfigurationException error) {
    return new PackProblem(file, pack, action, false, error);
  }

  /** One line for a log: the error and what was skipped because of it. */
  public String message() {
    return error.getMessage() + " (skipped " + skipped() + ")";
  }

  /** What was skipped because of it: the pack, the action, or the file. */
  public String skipped() {
    if (wholePack) {
      return "pack " + pack + " and its actions";
    }
    return action.map(ref -> "action " + ref).orElse("file " + file);
  }
}
