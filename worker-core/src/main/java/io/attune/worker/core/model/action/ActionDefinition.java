package io.attune.worker.core.model.action;

import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An action of a pack: what the scheduler needs to place it (its {@link ActionRequirements}, reference included),
 * the entry point that runs it, its time-out and its parameters.
 *
 * @param entryPoint the script path relative to the pack's {@code actions/} folder
 */
public record ActionDefinition(
    ActionRequirements requirements,
    String entryPoint,
    Duration timeout,
    Map<String, ParameterSpec> parameters) {

  /** How long an action may run unless it says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

  public ActionDefinition {
    Objects.requireNonNull(requirements, "requirements");
    Objects.requireNonNull(entryPoint, "entryPoint");
    if (entryPoint.isBlank()) {
      throw new IllegalArgumentException("action " + requirements.actionRef() + " needs an entry_point");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("action " + requirements.actionRef() + ": timeout must be positive, was "
          + timeout);
    }
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** An action that only names its runtime and entry point, with the default timeout and no parameters. */
  public static ActionDefinition simple(String ref, RuntimeName runtime, String entryPoint) {
    return new ActionDefinition(ActionRequirements.of(ActionRef.parse(ref), runtime), entryPoint, DEFAULT_TIMEOUT,
        Map.of());
  }

  /** The action's reference, {@code <pack>.<name>}. */
  public ActionRef ref() {
    return requirements.actionRef();
  }

  /** The runtime that runs the entry point. */
  public RuntimeName runtime() {
    return requirements.runtime();
  }

  /** The pack name, the first part of the reference. */
  public String pack() {
    return ref().pack();
  }

  /**
   * Checks given parameters: unknown names, missing required ones, wrong types and a NUL character anywhere in a
   * name, key or string ({@link NulCharacters}) are problems.
   */
  public ParameterCheck check(Map<String, Object> given) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> resolved = new LinkedHashMap<>();
    given.forEach((name, value) -> NulCharacters.pathsIn(name, value).forEach(path -> problems.add("parameter '"
        + path + "' holds a NUL character (U+0000), which cannot be stored: remove it, or encode binary data "
        + "(e.g. as base64)")));
    for (String name : given.keySet()) {
      if (!parameters.containsKey(name)) {
        problems.add("parameter '" + NulCharacters.printable(name) + "' is not declared by " + ref()
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
    String text = NulCharacters.printable(String.valueOf(value));
    return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }
}
