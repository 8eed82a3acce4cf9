package io.attune.worker.core.embed;

import io.attune.worker.core.port.out.WorkerLease;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The worker process's hold on its name, as its heartbeats confirm it. No other process can take the name while
 * the last heartbeat this process recorded is younger than three intervals (the holder counts as gone only after
 * that), so within two intervals of one a run may start without asking; after a longer gap (the JVM was paused,
 * or the database unreachable) the process beats first, and starts nothing unless that beat is recorded. The
 * embedded worker and the worker role both hold their name by it.
 */
public final class NameLease implements WorkerLease {

  private final long validNanos;
  private final LongSupplier nanoTime;
  private volatile long confirmedAt;
  private volatile Runnable beat = () -> { };

  /** A lease confirmed now (the worker has just registered), timed by {@link System#nanoTime}. */
  public NameLease(Duration heartbeatInterval) {
    this(heartbeatInterval, System::nanoTime);
  }

  /** @param nanoTime a monotonic clock: a pause of the whole process moves it on */
  public NameLease(Duration heartbeatInterval, LongSupplier nanoTime) {
    this.validNanos = heartbeatInterval.multipliedBy(2).toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.confirmedAt = nanoTime.getAsLong();
  }

  /** What confirms the hold: one heartbeat, which calls {@link #confirmed} when the registry records it. */
  public void confirmBy(Runnable heartbeat) {
    this.beat = Objects.requireNonNull(heartbeat, "heartbeat");
  }

  /** A heartbeat of this process was recorded just now. */
  public void confirmed() {
    confirmedAt = nanoTime.getAsLong();
  }

  private boolean recent() {
    return nanoTime.getAsLong() - confirmedAt < validNanos;
  }

  @Override
  public boolean held() {
    if (recent()) {
      return true;
    }
    beat.run();
    return recent();
  }
}
