package io.attune.worker.benchmarks.system;

import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.config.ConfigLoader;
import io.attune.worker.bootstrap.roles.SchedulerRole;
import io.attune.worker.bootstrap.roles.WorkerRole;
import io.attune.worker.core.model.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One scheduler and several workers in this JVM, wired exactly as {@code attune-worker scheduler} and
 * {@code attune-worker run} wire them (each role its own PostgreSQL pool and RabbitMQ connection), without the
 * cost of a JVM per role on a small machine.
 */
final class InProcessSystem implements AutoCloseable {

  private final List<WorkerRole> workerRoles = new ArrayList<>();
  private final List<Worker> workers = new ArrayList<>();
  private SchedulerRole scheduler;

  private InProcessSystem() {
  }

  /** Starts the scheduler, then the workers; returns once every worker is registered and consuming. */
  static InProcessSystem start(BenchSettings settings, Clock clock) {
    InProcessSystem system = new InProcessSystem();
    try {
      system.scheduler = SchedulerRole.start(config(environment(settings, Map.of())), clock);
      for (int i = 1; i <= settings.workers(); i++) {
        Map<String, String> env = environment(settings, Map.of(
            ConfigLoader.WORKER_NAME, "bench-worker-" + i,
            "ATTUNE_WORKER_RUNTIMES", "shell",
            "ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS", Integer.toString(settings.slots())));
        WorkerRole role = settings.inProcessRunner()
            ? WorkerRole.start(config(env), env, clock, new NoWorkRunner())
            : WorkerRole.start(config(env), env, clock);
        system.workerRoles.add(role);
        system.workers.add(role.worker());
      }
      return system;
    } catch (RuntimeException failed) {
      system.close();
      throw failed;
    }
  }

  List<Worker> workers() {
    return List.copyOf(workers);
  }

  /** What a role's process would see: the services, the bench packs, PATH and HOME, and the given values. */
  static Map<String, String> environment(BenchSettings settings, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    for (String keep : List.of("PATH", "HOME", "LANG")) {
      Optional.ofNullable(System.getenv(keep)).ifPresent(v -> env.put(keep, v));
    }
    env.put(ConfigLoader.DATABASE_URL, settings.databaseUrl());
    env.put(ConfigLoader.DATABASE_USER, settings.databaseUser());
    env.put(ConfigLoader.DATABASE_PASSWORD, settings.databasePassword());
    env.put(ConfigLoader.MQ_URL, settings.mqUrl());
    env.put(ConfigLoader.PACKS_DIR, settings.packsDirectory().toString());
    env.putAll(extra);
    return env;
  }

  static AttuneConfig config(Map<String, String> environment) {
    return new ConfigLoader(environment).load(Optional.empty());
  }

  /** Drains the workers (nothing should be running), then stops the scheduler. */
  @Override
  public void close() {
    for (WorkerRole role : workerRoles) {
      role.drain(Duration.ofSeconds(5));
      role.close();
    }
    if (scheduler != null) {
      scheduler.close();
    }
  }
}
