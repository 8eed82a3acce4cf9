package io.attune.worker.core.model.action;

import io.attune.worker.core.model.placement.Affinity;
import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.placement.Toleration;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An action of a pack: {@code <pack>.<name>}, the runtime and entry point that run it, its parameters and
 * where it may be placed.
 *
 * @param entryPoint the script path relative to the pack's {@code actions/} folder
 */
public record ActionDefinition(
    String ref,
    RuntimeName runtime,
    String entryPoint,
    VersionConstraint runtimeVersion,
    Duration timeout,
    Map<String, ParameterSpec> parameters,
    Map<RuntimeName, VersionConstraint> requiredRuntimes,
    Map<String, String> selector,
    List<Toleration> tolerations,
    Affinity affinity) {

  /** How long an action may run unless it says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

  private static final Pattern REF = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+");

  public ActionDefinition {
    Objects.requireNonNull(ref, "ref");
    if (!REF.matcher(ref).matches()) {
      throw new IllegalArgumentException("action reference '" + ref + "' is not of the form <pack>.<name>");
    }
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(entryPoint, "entryPoint");
    if (entryPoint.isBlank()) {
      throw new IllegalArgumentException("action " + ref + " needs an entry_point");
    }
    runtimeVersion = runtimeVersion == null ? VersionConstraint.any() : runtimeVersion;
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("action " + ref + ": timeout must be positive, was " + timeout);
    }
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    requiredRuntimes = Map.copyOf(requiredRuntimes);
    selector = Map.copyOf(selector);
    tolerations = List.copyOf(tolerations);
    affinity = affinity == null ? Affinity.none() : affinity;
  }

  /** An action that only names its runtime and entry point, with the default timeout. */
  public static ActionDefinition simple(String ref, RuntimeName runtime, String entryPoint) {
    return new ActionDefinition(ref, runtime, entryPoint, VersionConstraint.any(), DEFAULT_TIMEOUT, Map.of(),
        Map.of(), Map.of(), List.of(), Affinity.none());
  }

  /** The pack name, before the first dot of the reference. */
  public String pack() {
    return ref.substring(0, ref.indexOf('.'));
  }

  /** What the scheduler needs to place an execution of this action. */
  public ActionRequirements requirements() {
    return new ActionRequirements(ref, runtime, runtimeVersion, requiredRuntimes, selector, tolerations, affinity);
  }

  /** Checks given parameters: unknown names, missing required ones and wrong types are problems. */
  public ParameterCheck check(Map<String, Object> given) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> resolved = new LinkedHashMap<>();
    for (String name : given.keySet()) {
      if (!parameters.containsKey(name)) {
        problems.add("parameter '" + name + "' is not declared by " + ref
            + (parameters.isEmpty() ? " (it takes none)" : " (declared: " + String.join(", ", parameters.keySet())
            + ")"));
      }
    }
    for (ParameterSpec spec : parameters.values()) {
      Object value = given.get(spec.name());
      if (value == null) {
        if (spec.defaultValue() != null) {
          resolved.put(spec.name(), spec.defaultValue());
        } else if (spec.required()) {
          problems.add("parameter '" + spec.name() + "' is required: expected " + spec.type().withArticle());
        }
      } else if (!spec.type().accepts(value)) {
        problems.add("parameter '" + spec.name() + "' must be " + spec.type().withArticle() + ", got "
            + describe(value));
      } else {
        resolved.put(spec.name(), value);
      }
    }
    return problems.isEmpty() ? new ParameterCheck.Valid(resolved) : new ParameterCheck.Invalid(problems);
  }

  private static String describe(Object value) {
    String kind = value instanceof String ? "string" : value instanceof Boolean ? "boolean"
        : value instanceof Number ? "number" : value instanceof Map ? "object" : value instanceof List ? "array"
        : value.getClass().getSimpleName();
    String text = String.valueOf(value);
    return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }
}
