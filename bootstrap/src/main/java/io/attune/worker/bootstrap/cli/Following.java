package io.attune.worker.bootstrap.cli;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.port.out.ExecutionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** Watches a stored execution until it ends or the time is up, looking every 100 ms: for submit --wait and cancel. */
final class Following {

  private static final Duration LOOK_EVERY = Duration.ofMillis(100);

  private Following() {
  }

  /**
   * The execution as last read: ended, or as it was when {@code timeout} ran out.
   *
   * @param onEachLook told of the execution after every read, e.g. to show its progress
   */
  static Execution untilEnded(ExecutionStore store, Execution from, Clock clock, Duration timeout,
      Consumer<Execution> onEachLook) throws InterruptedException {
    Instant giveUp = clock.instant().plus(timeout);
    Execution current = from;
    while (!current.status().isTerminal() && clock.instant().isBefore(giveUp)) {
      Thread.sleep(LOOK_EVERY.toMillis());
      current = store.find(from.id()).orElse(current);
      onEachLook.accept(current);
    }
    return current;
  }
}
