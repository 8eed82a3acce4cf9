package io.attune.worker.core.model.action;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The size in bytes of a JSON tree (maps with string keys, lists, strings, numbers, booleans and nulls, as parameters
 * are) written compactly in UTF-8, as Jackson writes it by default: no spaces, {@code "} and {@code \} escaped,
 * control characters as {@code \n}, {@code \t}, ... or {@code \}{@code u00XX}, a character beyond the basic plane
 * as its two surrogates escaped, everything else as is.
 */
final class JsonSize {

  private JsonSize() {
  }

  static long compact(Object tree) {
    if (tree == null) {
      return 4;
    }
    if (tree instanceof String text) {
      return string(text);
    }
    if (tree instanceof Map<?, ?> map) {
      long size = 2 + Math.max(0, map.size() - 1);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        size += string(String.valueOf(entry.getKey())) + 1 + compact(entry.getValue());
      }
      return size;
    }
    if (tree instanceof List<?> list) {
      long size = 2 + Math.max(0, list.size() - 1);
      for (Iterator<?> each = list.iterator(); each.hasNext(); ) {
        size += compact(each.next());
      }
      return size;
    }
    return tree.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  private static long string(String text) {
    long size = 2;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') {
        size += 2;
      } else if (c < 0x20) {
        size += 6;
      } else if (c < 0x80) {
        size += 1;
      } else if (c < 0x800) {
        size += 2;
      } else if (Character.isSurrogate(c)) {
        size += 6; // a character beyond the basic plane is written as its two surrogates, each escaped
      } else {
        size += 3;
      }
    }
    return size;
  }
}
