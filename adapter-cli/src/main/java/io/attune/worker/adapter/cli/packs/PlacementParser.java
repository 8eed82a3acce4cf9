package io.attune.worker.adapter.cli.packs;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.Affinity;
import io.attune.worker.core.model.placement.AffinityTerm;
import io.attune.worker.core.model.placement.MatchExpression;
import io.attune.worker.core.model.placement.MatchOperator;
import io.attune.worker.core.model.placement.Toleration;
import io.attune.worker.core.model.placement.TolerationOperator;
import io.attune.worker.core.model.placement.WeightedTerm;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns placement rules read from JSON or YAML (the maps and lists Jackson produces) into the core's types:
 * {@code selector}, {@code tolerations}, {@code affinity} and {@code required_runtimes}, in the shapes of the
 * architecture's "Placement" section.
 *
 * <p>Every wrong value is a {@link ConfigurationException} naming the source, the key path and what was expected,
 * e.g. {@code placement.tolerations[0].operator = 'maybe'}: {@code expected equal or exists}.
 */
public final class PlacementParser {

  /** The placement keys, as they appear in an action file. */
  public static final List<String> KEYS = List.of("selector", "tolerations", "affinity", "required_runtimes");

  private static final List<String> TOLERATION_KEYS = List.of("key", "operator", "value", "effect");
  private static final List<String> AFFINITY_KEYS = List.of("required", "preferred", "anti_affinity");
  private static final List<String> TERM_KEYS = List.of("match_labels", "match_expressions");
  private static final List<String> EXPRESSION_KEYS = List.of("key", "operator", "values");
  private static final List<String> PREFERRED_KEYS = List.of("weight", "preference");

  private final TreeReader tree;

  /** A parser whose errors name the given source, such as the path of the file the tree came from. */
  public PlacementParser(String source) {
    this.tree = new TreeReader(Objects.requireNonNull(source, "source"));
  }

  /** The placement rules of an action, each empty when not given. */
  public record Placement(Map<String, String> selector, List<Toleration> tolerations, Affinity affinity,
      Map<RuntimeName, VersionConstraint> requiredRuntimes) {

    private static final Placement NONE = new Placement(Map.of(), List.of(), Affinity.none(), Map.of());

    public Placement {
      selector = Collections.unmodifiableMap(new TreeMap<>(selector));
      tolerations = List.copyOf(tolerations);
      affinity = affinity == null ? Affinity.none() : affinity;
      requiredRuntimes = Collections.unmodifiableMap(new TreeMap<>(requiredRuntimes));
    }

    /** No placement rules at all. */
    public static Placement none() {
      return NONE;
    }
  }

  /**
   * Reads a mapping that holds only placement keys, such as an action's {@code placement:} block; any other key
   * is an error.
   *
   * @param path the key path of the node, for messages, e.g. {@code placement}; empty at the top of a file
   * @param node a map, or null for no rules
   */
  public Placement parse(String path, Object node) {
    Map<String, Object> map = tree.mapping(path, node);
    tree.onlyKeys(path, map, KEYS);
    return parseWithin(path, map);
  }

  /**
   * Reads the placement keys found in a mapping that also holds other keys (such as the action file of the
   * {@code explain} command, beside {@code ref} and {@code runtime}); the other keys are left to the caller.
   *
   * @param path the key path of the mapping; empty at the top of a file
   */
  public Placement parseWithin(String path, Map<String, ?> map) {
    Objects.requireNonNull(map, path.isEmpty() ? "map" : path);
    return new Placement(
        selector(TreeReader.key(path, "selector"), map.get("selector")),
        tolerations(TreeReader.key(path, "tolerations"), map.get("tolerations")),
        affinity(TreeReader.key(path, "affinity"), map.get("affinity")),
        requiredRuntimes(TreeReader.key(path, "required_runtimes"), map.get("required_runtimes")));
  }

  /** {@code {"gpu": "nvidia"}}: labels a worker must have with these values. Unquoted numbers count as text. */
  public Map<String, String> selector(String path, Object node) {
    return labels(path, node);
  }

  /** {@code [{"key", "operator": "equal|exists", "value", "effect": "no_schedule|prefer_no_schedule"}]}. */
  public List<Toleration> tolerations(String path, Object node) {
    List<Toleration> tolerations = new ArrayList<>();
    List<Object> items = tree.list(path, node);
    for (int i = 0; i < items.size(); i++) {
      tolerations.add(toleration(TreeReader.index(path, i), items.get(i)));
    }
    return tolerations;
  }

  /** {@code {"required": [TERM], "preferred": [{"weight": 1..100, "preference": TERM}], "anti_affinity": [TERM]}}. */
  public Affinity affinity(String path, Object node) {
    Map<String, Object> map = tree.mapping(path, node);
    tree.onlyKeys(path, map, AFFINITY_KEYS);
    List<AffinityTerm> required = terms(TreeReader.key(path, "required"), map.get("required"));
    List<WeightedTerm> preferred = new ArrayList<>();
    String preferredPath = TreeReader.key(path, "preferred");
    List<Object> items = tree.list(preferredPath, map.get("preferred"));
    for (int i = 0; i < items.size(); i++) {
      preferred.add(weighted(TreeReader.index(preferredPath, i), items.get(i)));
    }
    List<AffinityTerm> anti = terms(TreeReader.key(path, "anti_affinity"), map.get("anti_affinity"));
    return required.isEmpty() && preferred.isEmpty() && anti.isEmpty() ? Affinity.none()
        : new Affinity(required, preferred, anti);
  }

  /**
   * {@code {"node": ">=18", "python": null}}: other runtimes a worker must offer, each with a version constraint
   * (null or {@code *} for any); a list of names is read as "any version" for each.
   */
  public Map<RuntimeName, VersionConstraint> requiredRuntimes(String path, Object node) {
    Map<RuntimeName, VersionConstraint> required = new TreeMap<>();
    if (node instanceof List<?> names) {
      for (int i = 0; i < names.size(); i++) {
        String at = TreeReader.index(path, i);
        putOnce(required, at, runtime(at, names.get(i)), VersionConstraint.any());
      }
      return required;
    }
    Map<String, Object> map = tree.mapping(path, node);
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      String at = TreeReader.key(path, entry.getKey());
      putOnce(required, at, runtime(at, entry.getKey()), versionConstraint(at, entry.getValue()));
    }
    return required;
  }

  /** A runtime name such as {@code python} or {@code python3} (an alias), canonicalised. */
  public RuntimeName runtime(String path, Object node) {
    if (node == null) {
      throw tree.missing(path, "expected " + RuntimeName.expectedForm());
    }
    Optional<RuntimeName> name = node instanceof String text ? RuntimeName.parse(text) : Optional.empty();
    return name.orElseThrow(() -> tree.wrong(path, node, "expected " + RuntimeName.expectedForm()));
  }

  /** A version constraint such as {@code >=3.8} or {@code ^18}; null or empty means any version. */
  public VersionConstraint versionConstraint(String path, Object node) {
    if (node == null) {
      return VersionConstraint.any();
    }
    String text = tree.scalar(path, node, "expected a version constraint such as >=3.8, ^18 or *");
    try {
      return VersionConstraint.parse(text);
    } catch (IllegalArgumentException notUnderstood) {
      throw tree.wrong(path, node, "expected a version constraint such as >=3.8, ^18 or *: "
          + notUnderstood.getMessage());
    }
  }

  private void putOnce(Map<RuntimeName, VersionConstraint> required, String path, RuntimeName name,
      VersionConstraint constraint) {
    if (required.put(name, constraint) != null) {
      throw new ConfigurationException(tree.source(), path, "expected each runtime once; " + name
          + " is named twice (aliases count as their runtime)");
    }
  }

  private Toleration toleration(String path, Object node) {
    if (node == null) {
      throw tree.wrong(path, null, "expected a toleration {key, operator, value, effect}");
    }
    Map<String, Object> map = tree.mapping(path, node);
    tree.onlyKeys(path, map, TOLERATION_KEYS);
    String key = map.get("key") == null ? "" : tree.scalar(TreeReader.key(path, "key"), map.get("key"),
        "expected a taint key");
    String value = map.get("value") == null ? "" : tree.scalar(TreeReader.key(path, "value"), map.get("value"),
        "expected a taint value");
    Object operatorNode = map.get("operator");
    TolerationOperator operator = operatorNode == null ? TolerationOperator.EQUAL
        : (operatorNode instanceof String text ? TolerationOperator.parse(text) : Optional.<TolerationOperator>empty())
            .orElseThrow(() -> tree.wrong(TreeReader.key(path, "operator"), operatorNode,
                "expected equal or exists"));
    Object effectNode = map.get("effect");
    Optional<TaintEffect> effect = Optional.empty();
    if (effectNode != null && !(effectNode instanceof String blank && blank.isBlank())) {
      effect = Optional.of((effectNode instanceof String text ? TaintEffect.parse(text) : Optional.<TaintEffect>empty())
          .orElseThrow(() -> tree.wrong(TreeReader.key(path, "effect"), effectNode,
              "expected no_schedule or prefer_no_schedule (or nothing for every effect)")));
    }
    try {
      return new Toleration(key, operator, value, effect);
    } catch (IllegalArgumentException invalid) {
      throw tree.wrong(path, node, "expected a key, or operator exists to tolerate every taint: "
          + invalid.getMessage());
    }
  }

  private List<AffinityTerm> terms(String path, Object node) {
    List<AffinityTerm> terms = new ArrayList<>();
    List<Object> items = tree.list(path, node);
    for (int i = 0; i < items.size(); i++) {
      terms.add(term(TreeReader.index(path, i), items.get(i)));
    }
    return terms;
  }

  private WeightedTerm weighted(String path, Object node) {
    Map<String, Object> map = tree.mapping(path, node);
    tree.onlyKeys(path, map, PREFERRED_KEYS);
    String weightPath = TreeReader.key(path, "weight");
    Object weightNode = map.get("weight");
    if (weightNode == null) {
      throw tree.missing(weightPath, "expected a whole number from 1 to 100");
    }
    int weight = TreeReader.wholeNumber(weightNode)
        .filter(w -> w >= 1 && w <= 100)
        .map(Long::intValue)
        .orElseThrow(() -> tree.wrong(weightPath, weightNode, "expected a whole number from 1 to 100"));
    String preferencePath = TreeReader.key(path, "preference");
    if (map.get("preference") == null) {
      throw tree.missing(preferencePath, "expected a term {match_labels, match_expressions}");
    }
    return new WeightedTerm(weight, term(preferencePath, map.get("preference")));
  }

  private AffinityTerm term(String path, Object node) {
    if (node == null) {
      throw tree.wrong(path, null, "expected a term {match_labels, match_expressions}");
    }
    Map<String, Object> map = tree.mapping(path, node);
    tree.onlyKeys(path, map, TERM_KEYS);
    Map<String, String> labels = labels(TreeReader.key(path, "match_labels"), map.get("match_labels"));
    List<MatchExpression> expressions = new ArrayList<>();
    String expressionsPath = TreeReader.key(path, "match_expressions");
    List<Object> items = tree.list(expressionsPath, map.get("match_expressions"));
    for (int i = 0; i < items.size(); i++) {
      expressions.add(expression(TreeReader.index(expressionsPath, i), items.get(i)));
    }
    return new AffinityTerm(labels, expressions);
  }

  private MatchExpression expression(String path, Object node) {
    if (node == null) {
      throw tree.wrong(path, null, "expected an expression {key, operator, values}");
    }
    Map<String, Object> map = tree.mapping(path, node);
    tree.onlyKeys(path, map, EXPRESSION_KEYS);
    String key = tree.requiredText(TreeReader.key(path, "key"), map.get("key"), "expected a label key");
    String operatorPath = TreeReader.key(path, "operator");
    Object operatorNode = map.get("operator");
    if (operatorNode == null) {
      throw tree.missing(operatorPath, "expected in, not_in, exists or does_not_exist");
    }
    MatchOperator operator = (operatorNode instanceof String text ? MatchOperator.parse(text)
        : Optional.<MatchOperator>empty())
        .orElseThrow(() -> tree.wrong(operatorPath, operatorNode, "expected in, not_in, exists or does_not_exist"));
    String valuesPath = TreeReader.key(path, "values");
    List<String> values = new ArrayList<>();
    List<Object> items = tree.list(valuesPath, map.get("values"));
    for (int i = 0; i < items.size(); i++) {
      values.add(tree.scalar(TreeReader.index(valuesPath, i), items.get(i), "expected a label value"));
    }
    try {
      return new MatchExpression(key, operator, values);
    } catch (IllegalArgumentException inconsistent) {
      boolean needsValues = operator == MatchOperator.IN || operator == MatchOperator.NOT_IN;
      throw tree.wrong(valuesPath, map.get("values"), needsValues
          ? "expected at least one value for operator " + operator.wireName()
          : "expected no values for operator " + operator.wireName());
    }
  }

  private Map<String, String> labels(String path, Object node) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : tree.mapping(path, node).entrySet()) {
      String at = TreeReader.key(path, entry.getKey());
      if (entry.getKey().isBlank()) {
        throw tree.wrong(at, entry.getValue(), "expected a non-blank label key");
      }
      labels.put(entry.getKey(), tree.scalar(at, entry.getValue(), "expected a label value (text)"));
    }
    return labels;
  }
}
