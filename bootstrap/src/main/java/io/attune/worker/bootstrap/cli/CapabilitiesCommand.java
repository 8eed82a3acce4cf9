package io.attune.worker.bootstrap.cli;

import io.attune.worker.adapter.local.packs.PackProblem;
import io.attune.worker.adapter.local.packs.PackRuntime;
import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.bootstrap.output.Table;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.core.model.capability.CapabilityTree;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Resolves and prints this machine's capabilities. */
@Command(name = "capabilities", mixinStandardHelpOptions = true,
    description = {"Resolve and print what this worker would advertise: runtimes (from ATTUNE_WORKER_RUNTIMES, "
        + "else the config file's worker.capabilities.runtimes, else auto-detection), versions, limits, labels.",
        "Probes python3/python, node/nodejs, ruby, go, java and perl on the PATH in parallel, the interpreter of "
            + "every runtime a pack defines in packs/<pack>/pack.yaml (ATTUNE_PACKS_DIR), and NVIDIA GPUs through "
            + "nvidia-smi (whatever the runtimes' tier).",
        "Packs served: ATTUNE_WORKER_PACKS, else the config file's worker.packs, else all."},
    footer = {"", "Examples:", "  attune-worker capabilities",
        "  ATTUNE_WORKER_RUNTIMES=shell,python attune-worker capabilities --json"})
final class CapabilitiesCommand implements Runnable {

  @ParentCommand
  private AttuneCommand parent;

  @picocli.CommandLine.Mixin
  private Verbosity verbosity;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public void run() {
    AttuneConfig config = parent.config();
    Optional<PacksDirectoryCatalog> packs = LocalMachine.packsIfPresent(config);
    List<PackRuntime> defined = packs.map(PacksDirectoryCatalog::runtimes).orElse(List.of());
    List<PackRuntime> packRuntimes = LocalMachine.effective(config, defined);
    ResolvedCapabilities resolved = LocalMachine.resolveCapabilities(config, parent.environment(), defined);
    List<String> warnings = new ArrayList<>(resolved.warnings());
    // a pack.yaml that is wrong takes its runtimes away: say so here; a wrong action file is the worker's to log
    packs.ifPresent(p -> p.problems().stream().filter(PackProblem::wholePack).map(PackProblem::message)
        .forEach(warnings::add));
    PrintWriter out = parent.out();
    if (json) {
      out.println(Json.write(tree(config, resolved, packRuntimes, warnings)));
    } else {
      printReadable(out, config, resolved, packRuntimes, warnings);
    }
    out.flush();
  }

  /** The JSON tree; an interpreter of a pack-defined runtime also names its pack and its arguments. */
  static Map<String, Object> tree(AttuneConfig config, ResolvedCapabilities resolved, List<PackRuntime> packRuntimes,
      List<String> warnings) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("name", config.workerName());
    tree.put("type", config.workerType().wireName());
    tree.put("source", resolved.source().wireName());
    tree.put("capabilities", CapabilityTree.toTree(resolved.capabilities()));
    List<Object> interpreters = new ArrayList<>();
    for (Interpreter interpreter : resolved.interpreters()) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("name", interpreter.binary());
      i.put("runtime", interpreter.runtime().value());
      i.put("path", interpreter.path());
      i.put("version", interpreter.version().toString());
      definedBy(packRuntimes, interpreter.runtime()).ifPresent(runtime -> {
        i.put("pack", runtime.pack());
        i.put("args", runtime.args());
      });
      interpreters.add(i);
    }
    tree.put("interpreters", interpreters);
    tree.put("warnings", warnings);
    return tree;
  }

  private static Optional<PackRuntime> definedBy(List<PackRuntime> packRuntimes, RuntimeName runtime) {
    return packRuntimes.stream().filter(r -> r.name().equals(runtime)).findFirst();
  }

  private static void printReadable(PrintWriter out, AttuneConfig config, ResolvedCapabilities resolved,
      List<PackRuntime> packRuntimes, List<String> warnings) {
    var caps = resolved.capabilities();
    out.println("worker       " + config.workerName() + " (" + config.workerType().wireName() + ")");
    out.println("runtimes     " + caps.runtimes().stream().map(RuntimeName::value).collect(Collectors.joining(", "))
        + "   [from " + resolved.source().wireName() + "]");
    out.println("concurrency  " + caps.maxConcurrentExecutions());
    out.println("version      " + caps.workerVersion());
    if (!caps.labels().isEmpty()) {
      out.println("labels       " + caps.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", ")));
    }
    if (!caps.taints().isEmpty()) {
      out.println("taints       " + caps.taints().stream().map(Object::toString).collect(Collectors.joining(", ")));
    }
    out.println("packs        " + (caps.packs().isEmpty() ? "all" : String.join(", ", caps.packs())));
    if (!caps.gpus().isEmpty()) {
      out.println("gpus         " + caps.gpus().size() + ": " + caps.gpus().stream().map(Object::toString)
          .collect(Collectors.joining(", ")));
    }
    out.println();
    Table table = new Table("RUNTIME", "VERSIONS", "INTERPRETER");
    for (RuntimeName runtime : caps.runtimes()) {
      String versions = caps.versionsOf(runtime).stream().map(Version::toString).collect(Collectors.joining(", "));
      String path = resolved.interpreters().stream().filter(i -> i.runtime().equals(runtime))
          .map(Interpreter::path).findFirst().orElse(runtime.equals(RuntimeName.SHELL) ? "/bin/sh"
              : runtime.equals(RuntimeName.NATIVE) ? "(the entry point itself)" : "-");
      Optional<PackRuntime> fromPack = definedBy(packRuntimes, runtime);
      if (fromPack.isPresent() && !fromPack.get().args().isEmpty() && !path.equals("-")) {
        path = path + " " + String.join(" ", fromPack.get().args());
      }
      table.row(runtime.value(), versions.isEmpty() ? "-" : versions,
          path + fromPack.map(r -> "   [pack " + r.pack() + "]").orElse(""));
    }
    out.print(table);
    if (!warnings.isEmpty()) {
      out.println();
      out.println("warnings:");
      warnings.forEach(w -> out.println("  - " + w));
    }
  }
}
