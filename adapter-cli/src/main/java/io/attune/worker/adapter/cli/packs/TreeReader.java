package io.attune.worker.adapter.cli.packs;

import io.attune.worker.core.error.ConfigurationException;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a tree of maps, lists and scalars (what Jackson makes of JSON or YAML) and reports every wrong value with
 * the file, the key path ({@code placement.tolerations[0].operator}) and what was expected.
 */
final class TreeReader {

  private static final int SHOWN = 60;

  private final String source;

  TreeReader(String source) {
    this.source = source;
  }

  String source() {
    return source;
  }

  static String key(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String index(String path, int index) {
    return path + "[" + index + "]";
  }

  ConfigurationException wrong(String path, Object value, String expected) {
    return new ConfigurationException(source, path + " = " + show(value), expected);
  }

  ConfigurationException missing(String path, String expected) {
    return new ConfigurationException(source, path + " is missing", expected);
  }

  /** A mapping; absent or null counts as empty. */
  @SuppressWarnings("unchecked")
  Map<String, Object> mapping(String path, Object node) {
    if (node == null) {
      return Map.of();
    }
    if (node instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw wrong(path, node, "expected a mapping of keys to values");
  }

  /** A list; absent or null counts as empty. */
  @SuppressWarnings("unchecked")
  List<Object> list(String path, Object node) {
    if (node == null) {
      return List.of();
    }
    if (node instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw wrong(path, node, "expected a list");
  }

  /** A string, or a number or boolean written without quotes, as text. */
  String scalar(String path, Object node, String expected) {
    if (node instanceof String || node instanceof Number || node instanceof Boolean) {
      return node.toString();
    }
    throw wrong(path, node, expected);
  }

  /** A string that must be there and must not be blank. */
  String requiredText(String path, Object node, String expected) {
    if (node == null) {
      throw missing(path, expected);
    }
    if (node instanceof String text && !text.isBlank()) {
      return text.trim();
    }
    throw wrong(path, node, expected);
  }

  /** Rejects keys this mapping does not know, so a typo does not silently mean nothing. */
  void onlyKeys(String path, Map<String, Object> map, Collection<String> allowed) {
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw new ConfigurationException(source, key(path, key) + " (unknown key)",
            "expected " + (allowed.size() == 1 ? "" : "one of ") + String.join(", ", allowed));
      }
    }
  }

  /** A whole number as Jackson reads one (not a decimal, not text), if it fits a long. */
  static Optional<Long> wholeNumber(Object node) {
    if (node instanceof Integer || node instanceof Long || node instanceof Short || node instanceof Byte) {
      return Optional.of(((Number) node).longValue());
    }
    if (node instanceof BigInteger big && big.bitLength() < 64) {
      return Optional.of(big.longValue());
    }
    return Optional.empty();
  }

  /** The value as a reader of the file would write it, shortened. */
  static String show(Object value) {
    String text;
    if (value == null) {
      text = "null";
    } else if (value instanceof String s) {
      text = "'" + s + "'";
    } else {
      text = value.toString();
    }
    text = text.replaceAll("\\s+", " ");
    return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
  }
}
