package io.attune.worker.bootstrap.cli;

import io.attune.worker.bootstrap.output.Json;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.RequirementsTree;
import io.attune.worker.core.model.tree.TreeReader;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the input of the offline {@code explain} command: a workers array and an action object. */
final class ExplainInput {

  private ExplainInput() {
  }

  /**
   * Reads a JSON array of workers in the shape of {@link WorkerTree}, the output of {@code workers --json} included.
   *
   * @param tree the parsed document
   * @param source the file, or standard input, for messages
   */
  static List<Worker> workers(Object tree, String source) {
    if (!(tree instanceof List<?> elements)) {
      throw new ConfigurationException(source, "document",
          "expected a JSON array of workers [{\"name\", \"capabilities\", ...}], as workers --json prints");
    }
    List<Worker> workers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < elements.size(); i++) {
      TreeReader w = TreeReader.of(elements.get(i), source, "[" + i + "]");
      Worker worker = WorkerTree.fromTree(w, new WorkerId(i + 1));
      if (!names.add(worker.name())) {
        throw w.error(w.pathOf("name") + " = '" + worker.name() + "'", "worker names must be unique");
      }
      workers.add(worker);
    }
    return workers;
  }

  static ActionRequirements action(Path file) {
    return RequirementsTree.fromTree(TreeReader.of(Json.read(file), file.toString(), ""));
  }
}
