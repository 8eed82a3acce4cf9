package io.attune.worker.core.model.action.ref;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reference of an action, {@code <pack>.<name>}: the pack is letters, digits, {@code _} and {@code -}; the name
 * may also hold dots. The text form ({@link #toString()}) is what users type and what is stored and sent.
 */
public record ActionRef(String pack, String name) implements Comparable<ActionRef> {

  /** What a reference looks like, for error messages. */
  public static final String EXPECTED_FORM = "<pack>.<name> (letters, digits, '_' or '-'; the name may hold '.')";

  /** What a pack's name looks like, for error messages. */
  public static final String PACK_FORM = "letters, digits, '_' or '-', e.g. core";

  private static final Pattern PACK = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  public ActionRef {
    Objects.requireNonNull(pack, "pack");
    Objects.requireNonNull(name, "name");
    if (!PACK.matcher(pack).matches() || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("action reference '" + pack + "." + name + "' is not of the form "
          + EXPECTED_FORM);
    }
  }

  /** True when the text is a valid pack name, the part of a reference before its first dot. */
  public static boolean isPackName(String text) {
    return text != null && PACK.matcher(text).matches();
  }

  /** Reads {@code <pack>.<name>}, split at the first dot; anything else is refused with a message naming it. */
  public static ActionRef parse(String text) {
    Objects.requireNonNull(text, "text");
    int dot = text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      throw new IllegalArgumentException("action reference '" + text + "' is not of the form " + EXPECTED_FORM);
    }
    try {
      return new ActionRef(text.substring(0, dot), text.substring(dot + 1));
    } catch (IllegalArgumentException invalid) {
      throw new IllegalArgumentException("action reference '" + text + "' is not of the form " + EXPECTED_FORM,
          invalid);
    }
  }

  /** The reference a text names, or empty when it is not of the form: for lookups, where a bad form is not found. */
  public static Optional<ActionRef> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException | NullPointerException notARef) {
      return Optional.empty();
    }
  }

  /** Orders as the text forms do, so sorted references read as sorted text. */
  @Override
  public int compareTo(ActionRef other) {
    return toString().compareTo(other.toString());
  }

  /** The text form, {@code <pack>.<name>}. */
  @Override
  public String toString() {
    return pack + "." + name;
  }
}
