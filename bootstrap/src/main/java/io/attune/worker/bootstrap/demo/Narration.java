package io.attune.worker.bootstrap.demo;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** The demo's progress lines, each stamped with the seconds since the demo began. */
final class Narration {

  private final PrintWriter out;
  private final Clock clock;
  private final Instant start;

  /** Counts from now on {@code clock}. */
  Narration(PrintWriter out, Clock clock) {
    this.out = out;
    this.clock = clock;
    this.start = clock.instant();
  }

  /** When the demo began. */
  Instant start() {
    return start;
  }

  Duration elapsed() {
    return Duration.between(start, clock.instant());
  }

  void say(String line) {
    out.println(String.format(Locale.ROOT, "[%6s] ", DemoTable.seconds(elapsed())) + line);
    out.flush();
  }
}
