package io.attune.worker.core.model.action;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule that no key or string of a parameter tree holds the NUL character (U+0000). Parameters are stored as
 * PostgreSQL {@code jsonb}, which refuses a NUL in any string (SQLSTATE 22P05): a request that holds one is bad input
 * and is refused, naming where the NUL is, before anything is stored.
 */
public final class NulCharacters {

  /** The character PostgreSQL cannot store in text or jsonb. */
  public static final char NUL = '\0';

  private NulCharacters() {
  }

  /**
   * The path of every key and string of the tree that holds a NUL, in the order met: the name itself, then
   * {@code name.key} for a key or a value of an object and {@code name[2]} for an element of an array; a path that
   * is both a key and its value is named once. A NUL in a path is spelt <code>&#92;u0000</code>, so the path can be
   * printed.
   *
   * @param name the parameter's name, the first part of every path
   * @param value a JSON-like tree: maps, lists, strings, numbers, booleans, null
   */
  public static List<String> pathsIn(String name, Object value) {
    Set<String> paths = new LinkedHashSet<>();
    String path = printable(name);
    if (name.indexOf(NUL) >= 0) {
      paths.add(path);
    }
    collect(path, value, paths);
    return List.copyOf(paths);
  }

  /** True when the text holds a NUL. */
  public static boolean in(String text) {
    return text.indexOf(NUL) >= 0;
  }

  /** The text with each NUL spelt <code>&#92;u0000</code>, for a message that must not carry the character. */
  public static String printable(String text) {
    return text.replace(String.valueOf(NUL), "\\u0000");
  }

  private static void collect(String path, Object value, Set<String> paths) {
    if (value instanceof String text) {
      if (in(text)) {
        paths.add(path);
      }
    } else if (value instanceof Map<?, ?> object) {
      object.forEach((key, child) -> {
        String name = String.valueOf(key);
        String childPath = path + "." + printable(name);
        if (in(name)) {
          paths.add(childPath);
        }
        collect(childPath, child, paths);
      });
    } else if (value instanceof List<?> array) {
      for (int i = 0; i < array.size(); i++) {
        collect(path + "[" + i + "]", array.get(i), paths);
      }
    }
  }
}
