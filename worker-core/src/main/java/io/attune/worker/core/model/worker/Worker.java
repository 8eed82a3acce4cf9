package io.attune.worker.core.model.worker;

import io.attune.worker.core.model.capability.Capabilities;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A worker as the scheduler sees it: identity, capabilities, status, cordon, heartbeat and load: what the executions
 * it holds reserve of each resource kind ({@code reserved}: a slot each, and GPUs, ...).
 *
 * <p>Liveness is a function of an injected instant: a worker is fresh while its last heartbeat is younger than
 * {@value #STALE_AFTER_MISSED_HEARTBEATS} heartbeat intervals. The rules on its state are {@link WorkerLoad}'s.
 */
public record Worker(
    WorkerId id,
    String name,
    WorkerType type,
    String host,
    WorkerStatus status,
    boolean cordoned,
    Capabilities capabilities,
    Duration heartbeatInterval,
    Instant lastHeartbeat,
    Reservations reserved) implements WorkerLoad {

  /** How many heartbeat intervals may pass before a worker counts as stale. */
  public static final int STALE_AFTER_MISSED_HEARTBEATS = 3;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}");

  public Worker {
    Objects.requireNonNull(id, "id");
    requireValidName(name);
    Objects.requireNonNull(type, "type");
    host = host == null ? "" : host;
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(capabilities, "capabilities");
    requirePositive(heartbeatInterval);
    Objects.requireNonNull(reserved, "reserved");
  }

  /** A worker whose executions reserve a slot each and nothing else. */
  public Worker(WorkerId id, String name, WorkerType type, String host, WorkerStatus status, boolean cordoned,
      Capabilities capabilities, Duration heartbeatInterval, Instant lastHeartbeat, int running) {
    this(id, name, type, host, status, cordoned, capabilities, heartbeatInterval, lastHeartbeat,
        Reservations.slots(running));
  }

  /** A worker just registered: active, not cordoned, idle, with its first heartbeat now. */
  public static Worker registered(WorkerId id, WorkerRegistration registration, Instant now) {
    return new Worker(id, registration.name(), registration.type(), registration.host(), WorkerStatus.ACTIVE, false,
        registration.capabilities(), registration.heartbeatInterval(), now, Reservations.NONE);
  }

  /** The last heartbeat, absent for a worker that never sent one. */
  public Optional<Instant> lastHeartbeatAt() {
    return Optional.ofNullable(lastHeartbeat);
  }

  /** The age from which the heartbeat counts as stale: three intervals. */
  public Duration staleAfter() {
    return heartbeatInterval.multipliedBy(STALE_AFTER_MISSED_HEARTBEATS);
  }

  @Override
  public long staleFromSecond() {
    return lastHeartbeat == null ? Long.MIN_VALUE : lastHeartbeat.plus(staleAfter()).getEpochSecond();
  }

  @Override
  public int staleFromNano() {
    return lastHeartbeat == null ? 0 : lastHeartbeat.plus(staleAfter()).getNano();
  }

  /** The age of the last heartbeat, absent when there was none. */
  public Optional<Duration> heartbeatAge(Instant now) {
    return lastHeartbeatAt().map(last -> Duration.between(last, now));
  }

  /** The executions it holds: the slots they reserve. */
  public int running() {
    return reserved.of(Reservations.SLOTS);
  }

  @Override
  public int reserved(String kind, String key) {
    return reserved.of(kind, key);
  }

  /** Running executions divided by the limit, from 0 (idle) to 1 (full). */
  public double load() {
    return (double) running() / capabilities.maxConcurrentExecutions();
  }

  @Override
  public boolean isActive() {
    return status == WorkerStatus.ACTIVE;
  }

  /**
   * True when what the worker holds is lost at {@code now}: it is inactive, or its heartbeat is stale. A draining
   * worker that still heartbeats is finishing its work, not lost.
   */
  public boolean isLost(Instant now) {
    return status == WorkerStatus.INACTIVE || !isFresh(now);
  }

  public Worker withStatus(WorkerStatus newStatus) {
    return new Worker(id, name, type, host, newStatus, cordoned, capabilities, heartbeatInterval, lastHeartbeat,
        reserved);
  }

  public Worker withCordoned(boolean newCordoned) {
    return new Worker(id, name, type, host, status, newCordoned, capabilities, heartbeatInterval, lastHeartbeat,
        reserved);
  }

  public Worker withHeartbeat(Instant at) {
    return new Worker(id, name, type, host, status, cordoned, capabilities, heartbeatInterval, at, reserved);
  }

  /** The same worker with its executions' reservations of resource kinds other than slots kept. */
  public Worker withRunning(int newRunning) {
    return withReserved(reserved.minus(Reservations.slots(running())).plus(Reservations.slots(newRunning)));
  }

  /** The same worker with these reservations. */
  public Worker withReserved(Reservations newReserved) {
    return new Worker(id, name, type, host, status, cordoned, capabilities, heartbeatInterval, lastHeartbeat,
        newReserved);
  }

  /** The same worker after registering again: new capabilities and heartbeat, active, cordon kept. */
  public Worker reregistered(WorkerRegistration registration, Instant now) {
    return new Worker(id, name, registration.type(), registration.host(), WorkerStatus.ACTIVE, cordoned,
        registration.capabilities(), registration.heartbeatInterval(), now, reserved);
  }

  /** What a worker's name may be, for messages. */
  public static final String NAME_RULE = "1-200 letters, digits, '.', '_', ':', '@' or '-', starting with a letter or "
      + "digit";

  /** Whether {@code name} may name a worker: {@link #NAME_RULE}. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  static void requireValidName(String name) {
    Objects.requireNonNull(name, "name");
    if (!isValidName(name)) {
      throw new IllegalArgumentException("worker name '" + name + "' is not valid: expected " + NAME_RULE);
    }
  }

  static void requirePositive(Duration interval) {
    Objects.requireNonNull(interval, "heartbeatInterval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("heartbeat interval must be positive, was " + interval);
    }
  }
}
