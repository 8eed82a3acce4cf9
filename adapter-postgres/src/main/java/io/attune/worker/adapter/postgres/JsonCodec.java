package io.attune.worker.adapter.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.CapabilityTree;
import io.attune.worker.core.model.execution.Attempt;
import io.attune.worker.core.model.execution.AttemptTree;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.RequirementsTree;
import io.attune.worker.core.model.tree.TreeReader;
import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.model.worker.ProcessInstanceTree;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.WorkerTree;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.JSONB;

/**
 * JSONB text to and from the core's trees. The shapes (capabilities, placement requirements) are the core's
 * {@link CapabilityTree} and {@link RequirementsTree}; parameters and results are free-form trees.
 *
 * <p>Reading a column that does not have the expected shape is a bug or a hand-edited row: it fails with an
 * {@link IllegalStateException} naming the column and the key, which the stores turn into an infrastructure error.
 */
final class JsonCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> TREE = new TypeReference<>() {
  };

  private static final JSONB NO_RESERVATIONS = JSONB.valueOf("{}");

  private JsonCodec() {
  }

  static JSONB capabilities(Capabilities capabilities) {
    return tree(CapabilityTree.toTree(capabilities));
  }

  static Capabilities capabilities(JSONB column) {
    return shape(column, "capabilities", CapabilityTree::fromTree);
  }

  /** The requirements as submitted; the action's reference lives in its own column. */
  static JSONB requirements(ActionRequirements action) {
    return tree(RequirementsTree.toTreeWithoutRef(action));
  }

  static ActionRequirements requirements(ActionRef actionRef, JSONB column) {
    return shape(column, "requirements", tree -> RequirementsTree.fromTree(tree, actionRef));
  }


  /** The attempts of an execution, in the core's {@link AttemptTree} shape. */
  static JSONB attempts(List<Attempt> attempts) {
    try {
      return JSONB.valueOf(MAPPER.writeValueAsString(AttemptTree.toTree(attempts)));
    } catch (JsonProcessingException notJson) {
      throw new IllegalArgumentException("attempts are not a JSON tree: " + notJson.getOriginalMessage(), notJson);
    }
  }

  static List<Attempt> attempts(JSONB column) {
    // a waiting execution that never ran has none: most rows the sweep reads
    if (column == null || column.data().equals("[]")) {
      return List.of();
    }
    Object list;
    try {
      list = MAPPER.readValue(column.data(), Object.class);
    } catch (JsonProcessingException notJson) {
      throw new IllegalStateException("attempts: expected a JSON array, was " + abbreviate(column.data()), notJson);
    }
    try {
      return AttemptTree.fromTree(list, "column attempts");
    } catch (ConfigurationException wrongShape) {
      throw new IllegalStateException("attempts" + wrongShape.entry() + ": " + wrongShape.expected(), wrongShape);
    }
  }

  /** The process that registered a worker name, in the core's {@link ProcessInstanceTree} shape. */
  static JSONB instance(ProcessInstance instance) {
    return tree(ProcessInstanceTree.toTree(instance));
  }

  static ProcessInstance instance(JSONB column) {
    return shape(column, "instance", ProcessInstanceTree::fromTree);
  }

  /** What a worker's or an execution's reservations count, by counter ({@link WorkerTree#reservedTree}). */
  static JSONB reservations(Reservations reservations) {
    return reservations.isEmpty() ? NO_RESERVATIONS : tree(WorkerTree.reservedTree(reservations));
  }

  static Reservations reservations(JSONB column, String name) {
    return column != null && column.data().equals("{}") ? Reservations.NONE : shape(column, name, WorkerTree::reserved);
  }

  /** Parameters and structured results: maps, lists, strings, numbers, booleans and nulls. */
  static JSONB tree(Map<String, Object> tree) {
    if (tree == null) {
      return null;
    }
    try {
      return JSONB.valueOf(MAPPER.writeValueAsString(tree));
    } catch (JsonProcessingException notJson) {
      throw new IllegalArgumentException("value is not a JSON tree: " + notJson.getOriginalMessage(), notJson);
    }
  }

  static Map<String, Object> tree(JSONB column, String what) {
    if (column == null) {
      return null;
    }
    try {
      return MAPPER.readValue(column.data(), TREE);
    } catch (JsonProcessingException notAnObject) {
      throw new IllegalStateException(what + ": expected a JSON object, was " + abbreviate(column.data()),
          notAnObject);
    }
  }

  /** Reads a column's object with the core's codec; a wrong shape names the column, the key and what was expected. */
  private static <T> T shape(JSONB column, String name, Function<TreeReader, T> codec) {
    Map<String, Object> tree = tree(column, name);
    if (tree == null) {
      throw new IllegalStateException(name + ": expected a JSON object, was null");
    }
    try {
      return codec.apply(TreeReader.of(tree, "column " + name, ""));
    } catch (ConfigurationException wrongShape) {
      throw new IllegalStateException(name + "." + wrongShape.entry() + ": " + wrongShape.expected(), wrongShape);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
