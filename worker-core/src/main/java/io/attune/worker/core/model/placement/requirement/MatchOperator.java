package io.attune.worker.core.model.placement.requirement;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a match expression compares a worker label with its values. */
public enum MatchOperator {
  IN("in"), NOT_IN("not_in"), EXISTS("exists"), DOES_NOT_EXIST("does_not_exist");

  private final String wireName;

  MatchOperator(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Reads {@code in}, {@code not_in}, {@code exists}, {@code does_not_exist} (also {@code NotIn} style). */
  public static Optional<MatchOperator> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String normal = text.trim().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(o -> o.wireName.equals(normal)).findFirst();
  }
}
