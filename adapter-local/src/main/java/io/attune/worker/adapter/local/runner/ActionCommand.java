package io.attune.worker.adapter.local.runner;

import io.attune.worker.adapter.local.packs.EntryPointCheck;
import io.attune.worker.adapter.local.process.BinaryLocator;
import io.attune.worker.adapter.local.process.ChildEnvironment;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What starts an action, before any launcher: {@code <packs>/<pack>/actions/<entry point>}, checked to lie within
 * its pack (links followed), with its runtime's interpreter and that interpreter's arguments (a {@code native} entry
 * point directly), a clean environment and the action's folder as working directory; or why it cannot start.
 */
final class ActionCommand {

  static final Path DEFAULT_SHELL = Path.of("/bin/sh");

  /** The action's start, ready or refused. */
  sealed interface Prepared {
  }

  /**
   * @param command the command line, interpreter first
   * @param environment the child's whole environment
   * @param workingDirectory the folder of the entry point
   */
  record Ready(List<String> command, ChildEnvironment environment, Path workingDirectory) implements Prepared {
    Ready {
      command = List.copyOf(command);
    }
  }

  /** @param why names the file, interpreter or runtime at fault and what was expected */
  record Refused(String why) implements Prepared {
  }

  private final RunnerSettings settings;
  private final Path packsDirectory;
  /** What every action's environment starts from: no configuration, no credentials. */
  private final ChildEnvironment basics;
  /** Finds an interpreter named without a folder on the child's {@code PATH}. */
  private final BinaryLocator interpreters;

  /** @param asAnotherUser whether actions run as another user than the worker's (their home is then not its) */
  ActionCommand(RunnerSettings settings, boolean asAnotherUser) {
    this.settings = settings;
    this.packsDirectory = settings.packsDirectory().toAbsolutePath().normalize();
    this.basics = ChildEnvironment.withDefaults(settings.workerEnvironment(), asAnotherUser);
    this.interpreters = new BinaryLocator(basics.searchPath());
  }

  Prepared prepare(ExecutionId execution, ActionDefinition action) {
    Path packDirectory = packsDirectory.resolve(action.pack());
    EntryPointCheck check = EntryPointCheck.of(packDirectory.resolve("actions"), packDirectory, action.entryPoint());
    Path entryPoint = check.path();
    String named = "entry point '" + action.entryPoint() + "' of " + action.ref();
    String refusal = switch (check.verdict()) {
      case UNUSABLE_PATH -> named + " is not a usable path";
      case ESCAPES_THE_PACK -> named + " escapes its pack folder " + packDirectory;
      case NOT_A_FILE -> "entry point " + entryPoint + " of " + action.ref() + " does not exist or is not a file";
      case UNRESOLVABLE -> "entry point " + entryPoint + " of " + action.ref() + " cannot be resolved: "
          + check.cause();
      case LINKS_OUT_OF_THE_PACK -> named + " is refused: its real path " + check.real()
          + " lies outside its pack folder " + check.realPack();
      case INSIDE -> null;
    };
    if (refusal != null) {
      return new Refused(refusal);
    }
    Launch launch = command(action, entryPoint);
    return launch.problem() != null ? new Refused(launch.problem())
        : new Ready(launch.command(), environment(execution, action, packDirectory), entryPoint.getParent());
  }

  /** The command line that runs the entry point, or why there is none. */
  private Launch command(ActionDefinition action, Path entryPoint) {
    RuntimeName runtime = action.runtime();
    if (runtime.equals(RuntimeName.NATIVE)) {
      return Files.isExecutable(entryPoint) ? Launch.of(List.of(entryPoint.toString()))
          : Launch.refused("entry point " + entryPoint + " of native action " + action.ref()
              + " is not executable: expected a file with the execute permission (chmod +x)");
    }
    Path interpreter = settings.interpreters().get(runtime);
    if (interpreter == null && runtime.equals(RuntimeName.SHELL)) {
      interpreter = DEFAULT_SHELL;
    }
    if (interpreter == null) {
      return Launch.refused("no interpreter for runtime '" + runtime + "' on this worker: " + action.ref()
          + " needs one (none was found by probing or configured)");
    }
    Optional<Path> usable = interpreters.locate(interpreter.toString()).found();
    if (usable.isEmpty()) {
      return Launch.refused("interpreter " + interpreter + " for runtime '" + runtime + "' (action " + action.ref()
          + ") does not exist or is not executable");
    }
    List<String> command = new ArrayList<>();
    command.add(usable.get().toString());
    command.addAll(settings.argumentsOf(runtime));
    command.add(entryPoint.toString());
    return Launch.of(command);
  }

  /** Only what a program needs to run ({@link ChildEnvironment#withDefaults}), and what identifies the execution. */
  private ChildEnvironment environment(ExecutionId execution, ActionDefinition action, Path packDirectory) {
    return basics.with("ATTUNE_EXECUTION_ID", execution.toString())
        .with("ATTUNE_ACTION_REF", action.ref().toString())
        .with("ATTUNE_PACK_DIR", packDirectory.toString());
  }

  private record Launch(List<String> command, String problem) {
    static Launch of(List<String> command) {
      return new Launch(command, null);
    }

    static Launch refused(String problem) {
      return new Launch(List.of(), problem);
    }
  }
}
