package io.attune.worker.core.embed;

import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.NameHolder;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.RecoverLostExecutionsUseCase.Recovery;
import java.time.Duration;
import java.util.List;

/**
 * Told what an embedded worker's session does, e.g. to log it, keep a health file or answer readiness probes. Each
 * method runs on the thread of the step it reports (the starting thread, the heartbeat's, the draining one) and
 * does nothing by default.
 */
public interface WorkerListener {

  /** Told nothing. */
  WorkerListener NONE = new WorkerListener() { };

  /** A live process holds the name: the start waits up to {@code upTo} for it to be gone. Told once. */
  default void waitingForName(String why, Duration upTo) {
  }

  /** Registered under its name, before anything is handed on or taken. */
  default void claimed(Worker worker) {
  }

  /** The name was taken over from an earlier process, now gone; what that one held was handed on. */
  default void tookOver(NameHolder earlier, String why, Recovery handedOn) {
  }

  /** A heartbeat was recorded; {@code takingWork} is what it said. */
  default void beatRecorded(boolean takingWork) {
  }

  /** A heartbeat failed; the next one tries again. */
  default void beatFailed(String why) {
  }

  /** The registry had forgotten the worker, which registered again: under a new id when {@code again}'s differs. */
  default void registeredAgain(Worker again) {
  }

  /** Runs the store says must end: cancels requested while the request did not arrive, attempts taken from it. */
  default void stoppedRuns(List<ExecutionId> cancelled, List<ExecutionId> taken) {
  }

  /** The drain begins: no new work from now on, and {@code running} runs may finish within {@code grace}. */
  default void draining(int running, Duration grace) {
  }

  /** {@code stillRunning} runs outlasted the drain grace: what the worker held was handed on. */
  default void handedOn(int stillRunning, Recovery handedOn) {
  }

  /** Drained and marked inactive. */
  default void inactive() {
  }

  /** Another process holds the name now: this one took no more work and ended what it ran, which was handed on. */
  default void nameLost(String why) {
  }

  /** A step failed and was dealt with (a look for cancels, marking itself draining or inactive, a hand-on). */
  default void trouble(String what) {
  }
}
