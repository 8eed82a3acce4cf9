package io.attune.worker.core.model.capability;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a taint does to actions that do not tolerate it. */
public enum TaintEffect {
  /** The worker is not eligible. */
  NO_SCHEDULE("no_schedule"),
  /** The worker is eligible but ranked below workers without such taints. */
  PREFER_NO_SCHEDULE("prefer_no_schedule");

  private final String wireName;

  TaintEffect(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in JSON and configuration. */
  public String wireName() {
    return wireName;
  }

  /** Reads {@code no_schedule} or {@code prefer_no_schedule} (also Kubernetes' {@code NoSchedule} spelling). */
  public static Optional<TaintEffect> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String normal = text.trim().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(e -> e.wireName.equals(normal)).findFirst();
  }
}
