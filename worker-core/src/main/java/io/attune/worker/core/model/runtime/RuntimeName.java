package io.attune.worker.core.model.runtime;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A canonical, lowercase runtime name such as {@code python} or a custom {@code ml}.
 *
 * <p>Aliases map to one canonical name ({@code python3} to {@code python}, {@code bash} to {@code shell}, ...);
 * any other valid name is a custom runtime kept as written, lowercased.
 */
public record RuntimeName(String value) implements Comparable<RuntimeName> {

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("python3", "python"),
      Map.entry("nodejs", "node"),
      Map.entry("node.js", "node"),
      Map.entry("bash", "shell"),
      Map.entry("sh", "shell"),
      Map.entry("builtin", "native"),
      Map.entry("standalone", "native"),
      Map.entry("rb", "ruby"),
      Map.entry("golang", "go"),
      Map.entry("jdk", "java"),
      Map.entry("openjdk", "java"),
      Map.entry("perl5", "perl"),
      Map.entry("rscript", "r"));

  public static final RuntimeName SHELL = new RuntimeName("shell");
  public static final RuntimeName PYTHON = new RuntimeName("python");
  public static final RuntimeName NODE = new RuntimeName("node");
  public static final RuntimeName NATIVE = new RuntimeName("native");
  public static final RuntimeName RUBY = new RuntimeName("ruby");
  public static final RuntimeName GO = new RuntimeName("go");
  public static final RuntimeName JAVA = new RuntimeName("java");
  public static final RuntimeName PERL = new RuntimeName("perl");

  /** The runtimes the worker itself knows: the targets of the aliases and the runtimes it probes or always offers. */
  private static final SortedSet<String> BUILT_IN = Collections.unmodifiableSortedSet(new TreeSet<>(
      Stream.concat(ALIASES.values().stream(), Stream.of("shell", "python", "node", "native", "ruby", "go", "java",
          "perl")).toList()));

  /** Accepts only a canonical name; use {@link #of} or {@link #parse} for user input. */
  public RuntimeName {
    Objects.requireNonNull(value, "value");
    if (!VALID.matcher(value).matches() || ALIASES.containsKey(value)) {
      throw new IllegalArgumentException(
          "runtime name '" + value + "' is not canonical: expected " + VALID.pattern() + " and no alias");
    }
  }

  /**
   * Canonicalises user input: trims, lowercases and resolves aliases.
   *
   * @return the canonical name, or empty when the input is blank or not a valid name
   */
  public static Optional<RuntimeName> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String lower = raw.trim().toLowerCase(Locale.ROOT);
    String canonical = ALIASES.getOrDefault(lower, lower);
    return VALID.matcher(canonical).matches() ? Optional.of(new RuntimeName(canonical)) : Optional.empty();
  }

  /** Like {@link #parse} but for input that must be valid. */
  public static RuntimeName of(String raw) {
    return parse(raw).orElseThrow(() -> new IllegalArgumentException(
        "'" + raw + "' is not a runtime name: expected letters, digits, '.', '_' or '-', starting with a letter or digit"));
  }

  /**
   * Whether this is one of the runtimes the worker itself knows ({@code shell}, {@code python}, {@code node},
   * {@code native}, {@code ruby}, {@code go}, {@code java}, {@code perl}, {@code r}), as opposed to a custom one
   * such as {@code ml} that a pack or a configuration defines.
   */
  public boolean isBuiltIn() {
    return BUILT_IN.contains(value);
  }

  /** The built-in runtime names, sorted, for error messages. */
  public static List<String> builtInNames() {
    return List.copyOf(BUILT_IN);
  }

  /** What a valid runtime name looks like, for error messages. */
  public static String expectedForm() {
    return "a runtime name matching " + VALID.pattern() + " (e.g. shell, python, node, native, ml)";
  }

  @Override
  public int compareTo(RuntimeName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
