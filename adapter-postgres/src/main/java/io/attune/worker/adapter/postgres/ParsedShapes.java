package io.attune.worker.adapter.postgres;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The shapes already read from identical column text, so that rows which repeat a JSON value are parsed once rather
 * than on every read: a fleet's capability profiles are few, and every execution of an action stores the same
 * requirements (the sweep reads hundreds of waiting executions per pass; parsing their requirements again was about
 * a fifth of the scheduler's CPU).
 *
 * <p>The values must be immutable (the core's shapes are). At most {@code capacity} entries are kept, the least
 * recently used forgotten first. Thread-safe; a text is parsed outside the lock, so two threads may parse the same
 * new text once each.
 */
final class ParsedShapes<V> {

  private final Map<String, V> byText;

  ParsedShapes(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.byText = new LinkedHashMap<>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The shape read from {@code text}: from the cache, or parsed by {@code parse} and kept. */
  V get(String text, Function<String, V> parse) {
    synchronized (byText) {
      V known = byText.get(text);
      if (known != null) {
        return known;
      }
    }
    V parsed = parse.apply(text);
    synchronized (byText) {
      byText.put(text, parsed);
    }
    return parsed;
  }

  int size() {
    synchronized (byText) {
      return byText.size();
    }
  }
}
