package io.attune.worker.adapter.postgres;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The shapes already read from identical column text, so that rows which repeat a JSON value (every execution of an
 * action stores the same requirements) are parsed once rather than on every read: the sweep reads hundreds of
 * waiting executions per pass, and parsing their requirements again was about a fifth of the scheduler's CPU.
 *
 * <p>The values must be immutable (the core's shapes are). The cache holds at most {@code capacity} entries and
 * forgets them all when full: a fleet's distinct requirements are few, and forgetting costs one parse per entry.
 */
final class ParsedShapes<V> {

  private final int capacity;
  private final Map<String, V> byText = new ConcurrentHashMap<>();

  ParsedShapes(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** The shape read from {@code text}: from the cache, or parsed by {@code parse} and kept. */
  V get(String text, Function<String, V> parse) {
    V known = byText.get(text);
    if (known != null) {
      return known;
    }
    V parsed = parse.apply(text);
    if (byText.size() >= capacity) {
      byText.clear();
    }
    byText.put(text, parsed);
    return parsed;
  }

  int size() {
    return byText.size();
  }
}
