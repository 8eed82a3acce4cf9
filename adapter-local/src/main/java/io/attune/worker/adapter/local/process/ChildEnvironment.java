package io.attune.worker.adapter.local.process;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole environment of a child process, built up from nothing and never copied from the worker's: of the
 * worker's own variables only {@code PATH}, {@code HOME} and {@code LANG} reach a child, so no configuration and no
 * credential does. A child started by {@link BoundedProcess} sees exactly these variables.
 */
public final class ChildEnvironment {

  /** The {@code PATH} of a child whose worker has none. */
  public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
  /** The {@code HOME} of a child whose worker has none, or that runs as another user than the worker. */
  public static final String DEFAULT_HOME = "/tmp";
  /** The {@code LANG} of a child whose worker has none. */
  public static final String DEFAULT_LANG = "C.UTF-8";

  /** The only variables a child may take from the worker's environment: enough to run. */
  private static final List<String> FROM_THE_WORKER = List.of("PATH", "HOME", "LANG");

  private final Map<String, String> variables;

  private ChildEnvironment(Map<String, String> variables) {
    this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
  }

  /** {@code PATH}, {@code HOME} and {@code LANG} as the worker has them, each only when it has it. */
  public static ChildEnvironment passedAsIs(Map<String, String> worker) {
    Objects.requireNonNull(worker, "worker");
    Map<String, String> passed = new LinkedHashMap<>();
    for (String name : FROM_THE_WORKER) {
      String value = worker.get(name);
      if (value != null) {
        passed.put(name, value);
      }
    }
    return new ChildEnvironment(passed);
  }

  /**
   * {@code PATH}, {@code HOME} and {@code LANG} of the worker, each defaulted when it has none; a child that runs as
   * another user gets {@value #DEFAULT_HOME} as its home: the worker's own home is not that user's to use.
   */
  public static ChildEnvironment withDefaults(Map<String, String> worker, boolean asAnotherUser) {
    Objects.requireNonNull(worker, "worker");
    Map<String, String> passed = new LinkedHashMap<>();
    passed.put("PATH", worker.getOrDefault("PATH", DEFAULT_PATH));
    passed.put("HOME", asAnotherUser ? DEFAULT_HOME : worker.getOrDefault("HOME", DEFAULT_HOME));
    passed.put("LANG", worker.getOrDefault("LANG", DEFAULT_LANG));
    return new ChildEnvironment(passed);
  }

  /** This environment and one more variable, which identifies the child's work rather than the worker. */
  public ChildEnvironment with(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(variables);
    more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new ChildEnvironment(more);
  }

  /** The {@code PATH} the child searches for programs, when it has one. */
  public Optional<String> searchPath() {
    return Optional.ofNullable(variables.get("PATH"));
  }

  /** Every variable the child sees, in the order they were added. */
  public Map<String, String> variables() {
    return variables;
  }

  /** Names only: values such as {@code HOME} say more about the machine than a log needs. */
  @Override
  public String toString() {
    return "ChildEnvironment" + variables.keySet();
  }
}
