package io.attune.worker.adapter.local.runner;

import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the action runner finds and starts entry points.
 *
 * @param packsDirectory the folder holding {@code <pack>/actions/<entry point>}
 * @param interpreters the interpreter binary of each runtime, from probed {@link Interpreter} paths and the
 *     configuration of custom runtimes; {@code shell} falls back to {@code /bin/sh}, {@code native} needs none
 * @param outputCapBytes how much of standard output and of standard error is kept, each
 * @param workerEnvironment the worker's own environment: only {@code PATH}, {@code HOME} and {@code LANG} are taken
 *     from it for the child; everything else (credentials included) stays with the worker. The runner itself
 *     reads {@code ATTUNE_ACTION_LAUNCHER} from it: the path of an action launcher to use instead of the jar's
 * @param interpreterArguments arguments between a runtime's interpreter and the entry point (a pack-defined
 *     runtime's {@code args}); none for a runtime not named
 * @param actionUser the user actions run as; by default {@value ActionUser#UNPRIVILEGED} when the worker runs as
 *     root, else the worker's own user
 */
public record RunnerSettings(Path packsDirectory, Map<RuntimeName, Path> interpreters, long outputCapBytes,
    Map<String, String> workerEnvironment, Map<RuntimeName, List<String>> interpreterArguments,
    ActionUser actionUser) {

  /** One mebibyte of standard output and as much of standard error. */
  public static final long DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;

  public RunnerSettings {
    Objects.requireNonNull(packsDirectory, "packsDirectory");
    interpreters = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(interpreters, "interpreters")));
    if (outputCapBytes < 1 || outputCapBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("output cap must be 1.." + (Integer.MAX_VALUE - 8) + " bytes, was "
          + outputCapBytes);
    }
    workerEnvironment = Map.copyOf(Objects.requireNonNull(workerEnvironment, "workerEnvironment"));
    Map<RuntimeName, List<String>> arguments = new TreeMap<>();
    Objects.requireNonNull(interpreterArguments, "interpreterArguments")
        .forEach((runtime, args) -> arguments.put(runtime, List.copyOf(args)));
    interpreterArguments = Collections.unmodifiableMap(arguments);
    Objects.requireNonNull(actionUser, "actionUser");
  }

  /** Settings whose actions run as the default {@link ActionUser}. */
  public RunnerSettings(Path packsDirectory, Map<RuntimeName, Path> interpreters, long outputCapBytes,
      Map<String, String> workerEnvironment, Map<RuntimeName, List<String>> interpreterArguments) {
    this(packsDirectory, interpreters, outputCapBytes, workerEnvironment, interpreterArguments,
        ActionUser.byDefault());
  }

  /** Settings whose interpreters take no arguments before the entry point. */
  public RunnerSettings(Path packsDirectory, Map<RuntimeName, Path> interpreters, long outputCapBytes,
      Map<String, String> workerEnvironment) {
    this(packsDirectory, interpreters, outputCapBytes, workerEnvironment, Map.of());
  }

  /** The same settings with actions running as this user. */
  public RunnerSettings withActionUser(ActionUser user) {
    return new RunnerSettings(packsDirectory, interpreters, outputCapBytes, workerEnvironment, interpreterArguments,
        user);
  }

  /** The arguments a runtime's interpreter gets before the entry point. */
  public List<String> argumentsOf(RuntimeName runtime) {
    return interpreterArguments.getOrDefault(runtime, List.of());
  }

  /** Settings with the default output cap. */
  public static RunnerSettings of(Path packsDirectory, Map<RuntimeName, Path> interpreters,
      Map<String, String> workerEnvironment) {
    return new RunnerSettings(packsDirectory, interpreters, DEFAULT_OUTPUT_CAP_BYTES, workerEnvironment);
  }

  /** The interpreter paths of probed runtimes, keyed by runtime, ready to merge with configured ones. */
  public static Map<RuntimeName, Path> interpretersOf(Iterable<Interpreter> probed) {
    Map<RuntimeName, Path> paths = new TreeMap<>();
    for (Interpreter interpreter : probed) {
      paths.putIfAbsent(interpreter.runtime(), Path.of(interpreter.path()));
    }
    return paths;
  }

  /** Leaves the worker environment out: it may hold credentials. */
  @Override
  public String toString() {
    return "RunnerSettings[packsDirectory=" + packsDirectory + ", interpreters=" + interpreters + ", outputCapBytes="
        + outputCapBytes + ", workerEnvironment=(" + workerEnvironment.size() + " variables, not shown)"
        + ", interpreterArguments=" + interpreterArguments + ", actionUser=" + actionUser + "]";
  }
}
