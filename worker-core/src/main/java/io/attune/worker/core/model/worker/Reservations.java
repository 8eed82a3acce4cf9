package io.attune.worker.core.model.worker;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Counters of what executions reserve on a worker, by counter name: the name of a resource kind ({@code slots},
 * {@code gpus}), or for a kind counted per key, the kind's name, a colon and the key ({@code pack:core}). What a
 * worker holds is one, and so is what one execution holds. Only positive counts are kept. Immutable.
 *
 * <p>Which kinds there are and how much an execution asks of each is placement's
 * ({@code io.attune.worker.core.model.placement.rule.ResourceKinds}); here they are only counted, so that a new kind needs
 * no new field of a worker, no new column and no new statement.
 */
public final class Reservations {

  /** The counter of the executions a worker holds: one slot each, bounded by its concurrency limit. */
  public static final String SLOTS = "slots";

  /** Nothing reserved. */
  public static final Reservations NONE = new Reservations(new String[0], new int[0]);

  /** The counter names, sorted; {@link #amounts} at the same index. */
  private final String[] counters;
  private final int[] amounts;

  private Reservations(String[] counters, int[] amounts) {
    this.counters = counters;
    this.amounts = amounts;
  }

  /** These counts; zeros are dropped, a negative count is refused. */
  public static Reservations of(Map<String, Integer> counts) {
    TreeMap<String, Integer> kept = new TreeMap<>();
    counts.forEach((counter, amount) -> {
      Objects.requireNonNull(counter, "counter");
      if (counter.isEmpty()) {
        throw new IllegalArgumentException("a reservation counter needs a name");
      }
      if (amount == null || amount < 0) {
        throw new IllegalArgumentException("reserved " + counter + " must not be negative, was " + amount);
      }
      if (amount > 0) {
        kept.put(counter, amount);
      }
    });
    if (kept.isEmpty()) {
      return NONE;
    }
    return new Reservations(kept.keySet().toArray(String[]::new),
        kept.values().stream().mapToInt(Integer::intValue).toArray());
  }

  /** {@code running} executions' slots alone. */
  public static Reservations slots(int running) {
    return of(Map.of(SLOTS, running));
  }

  /** The name of the counter of a kind, for one key of a kind counted per key or for the kind ({@code key} null). */
  public static String counter(String kind, String key) {
    return key == null ? kind : kind + ":" + key;
  }

  /** The count of a counter, 0 when it holds nothing. */
  public int of(String counter) {
    int at = Arrays.binarySearch(counters, counter);
    return at < 0 ? 0 : amounts[at];
  }

  /**
   * The count of {@link #counter(String, String)}, found without building the name: the scheduler asks this for
   * every worker it judges, and a decision allocates nothing.
   */
  public int of(String kind, String key) {
    if (key == null) {
      return of(kind);
    }
    int length = kind.length() + 1 + key.length();
    for (int i = 0; i < counters.length; i++) {
      String counter = counters[i];
      if (counter.length() == length && counter.startsWith(kind) && counter.charAt(kind.length()) == ':'
          && counter.endsWith(key)) {
        return amounts[i];
      }
    }
    return 0;
  }

  /** These counts and {@code more}'s added up. */
  public Reservations plus(Reservations more) {
    return combined(more, 1);
  }

  /** These counts less {@code less}'s, none below zero (giving back twice is harmless). */
  public Reservations minus(Reservations less) {
    return combined(less, -1);
  }

  private Reservations combined(Reservations other, int sign) {
    if (other.counters.length == 0) {
      return this;
    }
    Map<String, Integer> sum = new TreeMap<>(asMap());
    other.asMap().forEach((counter, amount) -> sum.merge(counter, sign * amount, (a, b) -> Math.max(0, a + b)));
    sum.replaceAll((counter, amount) -> Math.max(0, amount));
    return of(sum);
  }

  /** True when nothing is reserved. */
  public boolean isEmpty() {
    return counters.length == 0;
  }

  /** The counts by counter, sorted by name. */
  public Map<String, Integer> asMap() {
    Map<String, Integer> map = new TreeMap<>();
    for (int i = 0; i < counters.length; i++) {
      map.put(counters[i], amounts[i]);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Reservations that && Arrays.equals(counters, that.counters)
        && Arrays.equals(amounts, that.amounts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(counters) + Arrays.hashCode(amounts);
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
