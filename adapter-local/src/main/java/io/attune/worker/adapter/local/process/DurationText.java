package io.attune.worker.adapter.local.process;

import java.time.Duration;

/** A time-out or grace period as messages show it: whole seconds as {@code 2s}, anything else as {@code 1500ms}. */
public final class DurationText {

  private DurationText() {
  }

  public static String of(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
  }
}
