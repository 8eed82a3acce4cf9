package io.attune.worker.core.model.tree;

import io.attune.worker.core.error.ConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a JSON-shaped tree (maps, lists, strings, numbers, booleans, nulls, as a JSON or YAML parser returns it)
 * with errors that name the source, the key path and what was expected.
 */
public final class TreeReader {

  private final String source;
  private final String path;
  private final Map<String, Object> map;

  private TreeReader(String source, String path, Map<String, Object> map) {
    this.source = source;
    this.path = path;
    this.map = map;
  }

  /** Reads the object at the root of a document; {@code path} is how to name it in errors ("" for the root). */
  public static TreeReader of(Object node, String source, String path) {
    return new TreeReader(source, path, asObject(node, source, path));
  }

  public String source() {
    return source;
  }

  /** The key path of a child, e.g. {@code affinity.required[0]}. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  public Set<String> keys() {
    return map.keySet();
  }

  public Object raw(String key) {
    return map.get(key);
  }

  /** Refuses keys outside the allowed set, naming the first unknown one and the allowed ones. */
  public TreeReader onlyKeys(Set<String> allowed) {
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw error(pathOf(key), "unknown key: expected one of " + new java.util.TreeSet<>(allowed));
      }
    }
    return this;
  }

  public Optional<String> string(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    Object value = map.get(key);
    if (value instanceof String s) {
      return Optional.of(s);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return Optional.of(String.valueOf(value)); // YAML reads `3.11` as a number; a version is still meant
    }
    throw error(pathOf(key) + " = " + describe(value), "expected a string");
  }

  public String requiredString(String key) {
    return string(key).filter(s -> !s.isBlank())
        .orElseThrow(() -> error(pathOf(key), "is required: expected a non-empty string"));
  }

  public Optional<Long> integer(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    Object value = map.get(key);
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return Optional.of(n.longValue());
    }
    throw error(pathOf(key) + " = " + describe(value), "expected an integer");
  }

  /** An integer within bounds, inclusive. */
  public Optional<Integer> integer(String key, long min, long max) {
    Optional<Long> value = integer(key);
    if (value.isPresent() && (value.get() < min || value.get() > max)) {
      throw error(pathOf(key) + " = " + value.get(), "expected an integer from " + min + " to " + max);
    }
    return value.map(Long::intValue);
  }

  public Optional<Boolean> bool(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    Object value = map.get(key);
    if (value instanceof Boolean b) {
      return Optional.of(b);
    }
    throw error(pathOf(key) + " = " + describe(value), "expected true or false");
  }

  public Optional<TreeReader> object(String key) {
    return has(key) ? Optional.of(new TreeReader(source, pathOf(key), asObject(map.get(key), source, pathOf(key))))
        : Optional.empty();
  }

  /** The elements of a list, absent when the key is missing. */
  public Optional<List<Object>> list(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    Object value = map.get(key);
    if (value instanceof List<?> l) {
      return Optional.of(new ArrayList<>(l));
    }
    throw error(pathOf(key) + " = " + describe(value), "expected a list");
  }

  /** The objects of a list of objects, each as a reader with its index in the path. */
  public List<TreeReader> objects(String key) {
    List<TreeReader> readers = new ArrayList<>();
    List<Object> elements = list(key).orElse(List.of());
    for (int i = 0; i < elements.size(); i++) {
      String at = pathOf(key) + "[" + i + "]";
      readers.add(new TreeReader(source, at, asObject(elements.get(i), source, at)));
    }
    return readers;
  }

  /** A list of strings. */
  public Optional<List<String>> strings(String key) {
    Optional<List<Object>> elements = list(key);
    if (elements.isEmpty()) {
      return Optional.empty();
    }
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < elements.get().size(); i++) {
      Object e = elements.get().get(i);
      if (!(e instanceof String) && !(e instanceof Number) && !(e instanceof Boolean)) {
        throw error(pathOf(key) + "[" + i + "] = " + describe(e), "expected a string");
      }
      strings.add(String.valueOf(e));
    }
    return Optional.of(strings);
  }

  /** A map of string keys to string values ({@code labels}, {@code selector}). */
  public Map<String, String> stringMap(String key) {
    Map<String, String> result = new LinkedHashMap<>();
    object(key).ifPresent(child -> {
      for (String k : child.keys()) {
        result.put(k, child.string(k).orElseThrow(() -> error(child.pathOf(k), "expected a string value")));
      }
    });
    return result;
  }

  /** Every entry of this object that is not in {@code known}, unchanged. */
  public Map<String, Object> rest(Set<String> known) {
    Map<String, Object> rest = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (!known.contains(k)) {
        rest.put(k, v);
      }
    });
    return rest;
  }

  /** A configuration error about the value at a key, shown as {@code path = value}. */
  public ConfigurationException wrong(String key, String expected) {
    return error(pathOf(key) + " = " + describe(map.get(key)), expected);
  }

  /** A configuration error at a key of this object. */
  public ConfigurationException error(String entry, String expected) {
    return new ConfigurationException(source, entry, expected);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asObject(Object node, String source, String path) {
    if (node instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (!(k instanceof String)) {
          throw new ConfigurationException(source, (path.isEmpty() ? "" : path + ".") + k, "keys must be strings");
        }
      }
      return (Map<String, Object>) m;
    }
    throw new ConfigurationException(source, path.isEmpty() ? "document" : path + " = " + describe(node),
        "expected an object");
  }

  /** A short description of a value for error messages. */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }
}
