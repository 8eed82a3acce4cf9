package io.attune.worker.core.testkit;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.model.worker.WorkerStatus;
import io.attune.worker.core.model.worker.WorkerType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds a worker for a placement test: {@code aWorker("py-1").runtimes("shell", "python").running(3, 10)}.
 * By default it is active, not cordoned, idle with 10 slots and heartbeating right now.
 */
public final class WorkerFixture {

  /** The instant scenarios run at unless told otherwise. */
  public static final Instant DEFAULT_NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static final AtomicLong IDS = new AtomicLong(1);

  private final String name;
  private final Capabilities.Builder capabilities = Capabilities.builder();
  private WorkerStatus status = WorkerStatus.ACTIVE;
  private boolean cordoned;
  private Duration interval = Duration.ofSeconds(30);
  private Duration heartbeatAge = Duration.ZERO;
  /** What the executions it holds reserve, by counter ({@link Reservations}). */
  private final Map<String, Integer> reserved = new TreeMap<>();

  private WorkerFixture(String name) {
    this.name = name;
  }

  /** A worker with the given name and no runtimes yet. */
  public static WorkerFixture aWorker(String name) {
    return new WorkerFixture(name);
  }

  /** Adds runtimes by name or alias, such as {@code "shell", "python3"}. */
  public WorkerFixture runtimes(String... names) {
    for (String n : names) {
      capabilities.runtime(RuntimeName.of(n));
    }
    return this;
  }

  /** Adds a runtime with the versions it advertises, such as {@code runtime("python", "3.11.2")}. */
  public WorkerFixture runtime(String name, String... versions) {
    Version[] parsed = new Version[versions.length];
    for (int i = 0; i < versions.length; i++) {
      parsed[i] = Version.parse(versions[i]);
    }
    capabilities.runtime(RuntimeName.of(name), parsed);
    return this;
  }

  /** Sets the load: {@code running(3, 10)} is three executions of at most ten. */
  public WorkerFixture running(int runningNow, int max) {
    reserved.put(Reservations.SLOTS, runningNow);
    capabilities.maxConcurrentExecutions(max);
    return this;
  }

  public WorkerFixture label(String key, String value) {
    capabilities.label(key, value);
    return this;
  }

  /** Adds a {@code no_schedule} taint. */
  public WorkerFixture taint(String key, String value) {
    return taint(key, value, TaintEffect.NO_SCHEDULE);
  }

  public WorkerFixture taint(String key, String value, TaintEffect effect) {
    capabilities.taint(new Taint(key, value, effect));
    return this;
  }

  /** Adds GPUs of this model and memory. */
  public WorkerFixture gpus(int count, String model, int memoryMib) {
    for (int i = 0; i < count; i++) {
      capabilities.gpu(new Gpu(model, memoryMib));
    }
    return this;
  }

  /** How much the executions it holds reserve of a counter ({@link Reservations}), e.g. {@code reserved("gpus", 1)}. */
  public WorkerFixture reserved(String counter, int amount) {
    reserved.put(counter, amount);
    return this;
  }

  /** Limits the worker to these packs. */
  public WorkerFixture packs(String... names) {
    capabilities.packs(List.of(names));
    return this;
  }

  public WorkerFixture inactive() {
    this.status = WorkerStatus.INACTIVE;
    return this;
  }

  public WorkerFixture cordoned() {
    this.cordoned = true;
    return this;
  }

  /** The last heartbeat was this long before the scenario's instant. */
  public WorkerFixture heartbeatAgo(Duration age) {
    this.heartbeatAge = age;
    return this;
  }

  /** The worker never heartbeated. */
  public WorkerFixture neverHeartbeat() {
    this.heartbeatAge = null;
    return this;
  }

  public WorkerFixture heartbeatInterval(Duration newInterval) {
    this.interval = newInterval;
    return this;
  }

  public String name() {
    return name;
  }

  /** The worker as the scheduler would see it at {@code now}. */
  public Worker build(Instant now) {
    return new Worker(new WorkerId(IDS.getAndIncrement()), name, WorkerType.LOCAL, "test", status, cordoned,
        capabilities.build(), interval, heartbeatAge == null ? null : now.minus(heartbeatAge),
        Reservations.of(reserved));
  }
}
