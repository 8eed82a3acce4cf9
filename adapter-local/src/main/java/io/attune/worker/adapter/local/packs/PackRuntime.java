package io.attune.worker.adapter.local.packs;

import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A custom runtime that a pack defines in its {@code pack.yaml}: how to start its interpreter and ask its version.
 *
 * @param name the runtime, canonical and never a built-in one
 * @param pack the pack that defines it
 * @param file the {@code pack.yaml} it comes from
 * @param command the interpreter: a binary name looked up on the worker's {@code PATH}, or an absolute path
 * @param args what comes between the interpreter and the entry point
 * @param versionArgs what makes the interpreter print its version
 */
public record PackRuntime(RuntimeName name, String pack, Path file, String command, List<String> args,
    List<String> versionArgs) {

  /** The version arguments when a pack names none. */
  public static final List<String> DEFAULT_VERSION_ARGS = List.of("--version");

  public PackRuntime {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pack, "pack");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(command, "command");
    args = List.copyOf(args);
    versionArgs = List.copyOf(versionArgs);
    if (name.isBuiltIn()) {
      throw new IllegalArgumentException("runtime " + name + " is built in: a pack cannot define it");
    }
  }

  /** How the probe finds this interpreter and asks its version. */
  public KnownRuntime probeRecipe() {
    return new KnownRuntime(name, List.of(command), versionArgs);
  }

  /** The same runtime with another interpreter and no arguments: what {@code worker.interpreters} makes of it. */
  public PackRuntime withInterpreter(String otherCommand) {
    return new PackRuntime(name, pack, file, otherCommand, List.of(), versionArgs);
  }

  /** Whether two packs define a runtime the same way, so that either definition can serve both. */
  boolean sameDefinitionAs(PackRuntime other) {
    return name.equals(other.name) && command.equals(other.command) && args.equals(other.args)
        && versionArgs.equals(other.versionArgs);
  }
}
