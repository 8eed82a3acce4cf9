package io.attune.worker.core.model.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version requirement such as {@code >=3.8,<4} or {@code ^18}: comma-separated clauses that must all hold.
 *
 * <p>Operators: {@code >=}, {@code >}, {@code <=}, {@code <}, {@code =} or {@code ==}, {@code ~1.2}
 * (at least 1.2.0, below 1.3.0; {@code ~1} is below 2.0.0), {@code ^1.2} (at least 1.2.0, below 2.0.0).
 * A bare version means {@code ~}. {@code *} or an empty text means any version.
 */
public final class VersionConstraint {

  private static final Pattern CLAUSE = Pattern.compile("(>=|<=|==|=|>|<|~|\\^)?\\s*(v?\\d+(?:\\.\\d+){0,2})");
  private static final VersionConstraint ANY = new VersionConstraint("*", List.of());

  private final String text;
  private final List<Clause> clauses;

  private VersionConstraint(String text, List<Clause> clauses) {
    this.text = text;
    this.clauses = List.copyOf(clauses);
  }

  /** The constraint every version satisfies. */
  public static VersionConstraint any() {
    return ANY;
  }

  /**
   * Parses a constraint.
   *
   * @throws IllegalArgumentException naming the clause that is not understood
   */
  public static VersionConstraint parse(String text) {
    if (text == null || text.isBlank() || text.trim().equals("*")) {
      return ANY;
    }
    List<Clause> clauses = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String clause = raw.trim();
      if (clause.equals("*")) {
        continue;
      }
      Matcher m = CLAUSE.matcher(clause);
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + clause + "' in version constraint '" + text.trim()
            + "' is not understood: expected >=, >, <=, <, =, ~ or ^ followed by a version, a bare version, or *");
      }
      String op = m.group(1) == null ? "~" : m.group(1);
      String versionText = m.group(2);
      int parts = versionText.split("\\.").length;
      try {
        clauses.add(new Clause(op, Version.parse(versionText), parts));
      } catch (IllegalArgumentException outOfRange) {
        throw new IllegalArgumentException("'" + clause + "' in version constraint '" + text.trim()
            + "' is out of range: " + outOfRange.getMessage(), outOfRange);
      }
    }
    return new VersionConstraint(text.trim(), clauses);
  }

  /** True when every clause holds for the version. */
  public boolean isSatisfiedBy(Version version) {
    Objects.requireNonNull(version, "version");
    for (Clause clause : clauses) {
      if (!clause.holdsFor(version)) {
        return false;
      }
    }
    return true;
  }

  /** True when this constraint accepts every version. */
  public boolean isAny() {
    return clauses.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionConstraint other && clauses.equals(other.clauses);
  }

  @Override
  public int hashCode() {
    return clauses.hashCode();
  }

  /** The constraint as written, or {@code *}. */
  @Override
  public String toString() {
    return text;
  }

  private record Clause(String op, Version bound, int parts) {
    Clause {
      if (op.equals("~") || op.equals("^")) {
        upperBound(op, bound, parts); // fails now, naming the clause, rather than during placement
      }
    }

    /** The first version that {@code ~} or {@code ^} excludes. */
    private static Version upperBound(String op, Version bound, int parts) {
      return op.equals("^") || parts == 1 ? bound.nextMajor() : bound.nextMinor();
    }

    boolean holdsFor(Version v) {
      int c = v.compareTo(bound);
      return switch (op) {
        case ">=" -> c >= 0;
        case ">" -> c > 0;
        case "<=" -> c <= 0;
        case "<" -> c < 0;
        case "=", "==" -> c == 0;
        case "~", "^" -> c >= 0 && v.compareTo(upperBound(op, bound, parts)) < 0;
        default -> throw new IllegalStateException("unknown operator " + op);
      };
    }
  }
}
