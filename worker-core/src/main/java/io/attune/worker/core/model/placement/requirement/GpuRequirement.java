package io.attune.worker.core.model.placement.requirement;

/**
 * The GPUs an action needs on one worker: how many, each with at least this much memory. {@link #NONE} (count 0)
 * for an action that needs none.
 */
public record GpuRequirement(int count, int minMemoryMib) {

  /** Needs no GPU. */
  public static final GpuRequirement NONE = new GpuRequirement(0, 0);

  /** The most GPUs an action may ask for: more than any machine holds, few enough to catch a typo. */
  public static final int MAX_COUNT = 64;

  public GpuRequirement {
    if (count < 0 || count > MAX_COUNT) {
      throw new IllegalArgumentException("gpu.count must be from 0 to " + MAX_COUNT + ", was " + count);
    }
    if (minMemoryMib < 0) {
      throw new IllegalArgumentException("gpu.min_memory_mib must not be negative, was " + minMemoryMib);
    }
  }

  /** True when the action needs at least one GPU. */
  public boolean any() {
    return count > 0;
  }

  @Override
  public String toString() {
    return count + " GPU" + (count == 1 ? "" : "s") + (minMemoryMib > 0 ? " with at least " + minMemoryMib + " MiB"
        : "");
  }
}
