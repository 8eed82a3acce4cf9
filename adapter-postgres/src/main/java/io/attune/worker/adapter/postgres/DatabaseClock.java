package io.attune.worker.adapter.postgres;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A clock that tells the database's time: the local clock plus the offset to PostgreSQL's {@code clock_timestamp()},
 * measured at first use and again every {@link #RESYNC}. Every process of a system (workers stamping heartbeats,
 * schedulers judging staleness, recovering and placing) then reads one time base, the database's, and a process
 * whose own clock is a minute off neither looks stale nor judges others stale. Between measurements it costs a
 * field read; the error is half a round trip.
 *
 * <p>A failed measurement keeps the last offset (zero before the first): the clock never stops because the database
 * did.
 */
public final class DatabaseClock extends Clock {

  /** How often the offset is measured again. */
  public static final Duration RESYNC = Duration.ofSeconds(60);

  private final Clock local;
  private final Callable<Instant> databaseNow;
  private final Duration resync;
  private volatile Duration offset = Duration.ZERO;
  private volatile Instant nextSync = Instant.MIN;

  /**
   * @param local the process's own clock
   * @param databaseNow asks the database for its current time
   * @param resync how often the offset is measured again
   */
  public DatabaseClock(Clock local, Callable<Instant> databaseNow, Duration resync) {
    this.local = Objects.requireNonNull(local, "local");
    this.databaseNow = Objects.requireNonNull(databaseNow, "databaseNow");
    this.resync = Objects.requireNonNull(resync, "resync");
  }

  @Override
  public Instant instant() {
    Instant here = local.instant();
    if (!here.isBefore(nextSync)) {
      synchronise(here);
    }
    return local.instant().plus(offset);
  }

  /** The database's time minus this process's, as last measured. */
  public Duration offset() {
    return offset;
  }

  private synchronized void synchronise(Instant seen) {
    if (seen.isBefore(nextSync)) {
      return; // another thread measured meanwhile
    }
    Instant before = local.instant();
    try {
      Instant there = databaseNow.call();
      Instant after = local.instant();
      Instant midway = before.plus(Duration.between(before, after).dividedBy(2));
      offset = Duration.between(midway, there);
      nextSync = after.plus(resync);
    } catch (Exception unavailable) {
      // keep the last offset; try again on a later read, not on every one
      nextSync = local.instant().plus(Duration.ofSeconds(1));
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the database clock tells instants; it has no other zone");
  }
}
