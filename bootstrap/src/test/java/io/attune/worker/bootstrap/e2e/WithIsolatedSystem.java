package io.attune.worker.bootstrap.e2e;

import io.attune.worker.core.model.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test class whose tests each run an {@link IsolatedSystem} of their own, stopped after each test. */
abstract class WithIsolatedSystem {

  /** How long a test waits for what the system should do by itself. */
  static final Duration LONG = Duration.ofSeconds(120);

  @TempDir
  Path work;

  IsolatedSystem system;

  @AfterEach
  void stopEverything() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  /**
   * A new system named after {@code prefix}, with a scheduler and one active worker {@code <prefix>-w}: the worker's
   * process.
   */
  JarProcess systemWithOneWorker(String prefix) throws Exception {
    system = IsolatedSystem.create("own_" + prefix, work);
    system.scheduler(prefix + "-scheduler");
    JarProcess worker = system.worker(prefix + "-worker", prefix + "-w", Map.of());
    system.awaitWorker(prefix + "-w", Worker::isActive, LONG);
    return worker;
  }
}
