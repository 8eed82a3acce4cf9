package io.attune.worker.adapter.postgres;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL refuses the NUL character in {@code text} and {@code jsonb} values, and an action's output may well
 * contain one ({@code printf 'a\0b'}, {@code find -print0}, binary output): left alone, the whole outcome would fail
 * to store, again on every retry. Each NUL is replaced by U+FFFD, the replacement character, and counted, so the
 * outcome is stored and says that it was changed.
 */
final class StorableText {

  static final char NUL = '\0';
  static final char REPLACEMENT = '\uFFFD';

  private int replaced;

  /** The text with every NUL replaced; null stays null. */
  String text(String value) {
    if (value == null || value.indexOf(NUL) < 0) {
      return value;
    }
    StringBuilder clean = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == NUL) {
        replaced++;
        clean.append(REPLACEMENT);
      } else {
        clean.append(c);
      }
    }
    return clean.toString();
  }

  /** A JSON tree (maps, lists, strings, numbers, booleans, null) with NULs replaced in every key and string. */
  Object tree(Object value) {
    if (value instanceof String s) {
      return text(s);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> clean = new LinkedHashMap<>();
      map.forEach((k, v) -> clean.put(text(String.valueOf(k)), tree(v)));
      return clean;
    }
    if (value instanceof List<?> list) {
      List<Object> clean = new ArrayList<>(list.size());
      list.forEach(v -> clean.add(tree(v)));
      return clean;
    }
    return value;
  }

  /** How many NULs were replaced so far. */
  int replaced() {
    return replaced;
  }

  /** The note appended to the outcome's message when anything was replaced. */
  String note() {
    return replaced == 0 ? "" : " [" + replaced + " NUL character" + (replaced == 1 ? "" : "s")
        + " replaced by U+FFFD: PostgreSQL cannot store them]";
  }
}
