package io.attune.worker.benchmarks.placement;

import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.testkit.WorkerFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A reproducible fleet shaped like a real deployment: the four container variants (shell; shell+python;
 * shell+node; shell+python+node+native) with python 3.9/3.11/3.12 and node 18/20, three zones (north runs on
 * spot machines with a {@code prefer_no_schedule} taint), a few GPU workers with a {@code no_schedule} taint, and
 * about 1% each cordoned, inactive, stale and 2% full.
 */
final class BenchmarkFleet {

  /** How busy the workers that can take work are. */
  enum Load {
    /** Running 0..max-1: about one worker in ten is idle, so the fast path may stop at the first idle worker. */
    MIXED,
    /** Running 1..max-1: nobody is idle, so the fast path must scan every worker of the best-ranked groups. */
    BUSY
  }

  private static final String[] PYTHON_VERSIONS = {"3.9.18", "3.11.9", "3.12.3"};
  private static final String[] NODE_VERSIONS = {"18.19.1", "20.12.2"};
  private static final String[] ZONES = {"east", "west", "north"};

  private BenchmarkFleet() {
  }

  /** The same {@code count} workers for the same seed, as the scheduler would see them at {@code now}. */
  static List<Worker> workers(int count, Load load, long seed, Instant now) {
    Random random = new Random(seed);
    List<Worker> workers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      workers.add(worker(i, load, random).build(now));
    }
    return workers;
  }

  private static WorkerFixture worker(int index, Load load, Random random) {
    WorkerFixture worker = WorkerFixture.aWorker(String.format("worker-%05d", index));
    int max;
    int variant = random.nextInt(100);
    if (variant < 25) {
      worker.runtimes("shell").label("image", "shell");
      max = 20;
    } else if (variant < 55) {
      worker.runtimes("shell").runtime("python", pick(PYTHON_VERSIONS, random)).label("image", "python");
      max = 10;
    } else if (variant < 75) {
      worker.runtimes("shell").runtime("node", pick(NODE_VERSIONS, random)).label("image", "node");
      max = 10;
    } else {
      worker.runtimes("shell", "native").runtime("python", pick(PYTHON_VERSIONS, random))
          .runtime("node", pick(NODE_VERSIONS, random)).label("image", "full");
      max = 8;
      if (random.nextInt(10) == 0) {
        worker.label("gpu", "nvidia").taint("gpu", "nvidia", TaintEffect.NO_SCHEDULE);
      }
    }
    String zone = pick(ZONES, random);
    worker.label("zone", zone);
    if (zone.equals("north")) {
      worker.taint("spot", "true", TaintEffect.PREFER_NO_SCHEDULE);
    }
    worker.heartbeatAgo(Duration.ofSeconds(random.nextInt(40)));
    int state = random.nextInt(100);
    int running = load == Load.MIXED ? random.nextInt(max) : 1 + random.nextInt(max - 1);
    switch (state) {
      case 0 -> worker.cordoned();
      case 1 -> worker.inactive();
      case 2 -> worker.heartbeatAgo(Duration.ofMinutes(5));
      case 3, 4 -> running = max;
      default -> { }
    }
    return worker.running(running, max);
  }

  private static String pick(String[] values, Random random) {
    return values[random.nextInt(values.length)];
  }
}
