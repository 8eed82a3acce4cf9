package io.attune.worker.core.model.action;

import java.util.Map;
import java.util.Optional;

/**
 * The rule that a submission's parameters, as compact JSON in UTF-8 (the form in which they are stored and sent),
 * are at most {@link #maxBytes()} bytes: large data is passed by reference, not through the queue and the store.
 *
 * @param maxBytes the largest parameters object allowed; at least 2, an empty JSON object
 */
public record ParameterCap(long maxBytes) {

  /** The default cap: 1 MiB. */
  public static final long DEFAULT_MAX_BYTES = 1024L * 1024;

  /** No cap beyond what a {@code long} counts. */
  public static final ParameterCap NONE = new ParameterCap(Long.MAX_VALUE);

  public ParameterCap {
    if (maxBytes < 2) {
      throw new IllegalArgumentException("a parameter cap must allow at least 2 bytes (an empty JSON object), was "
          + maxBytes);
    }
  }

  /** The size of {@code parameters} when it is larger than the cap; empty when it fits. */
  public Optional<Long> excess(Map<String, Object> parameters) {
    if (maxBytes == Long.MAX_VALUE) {
      return Optional.empty(); // nothing to count against
    }
    long size = JsonSize.compact(parameters);
    return size > maxBytes ? Optional.of(size) : Optional.empty();
  }
}
