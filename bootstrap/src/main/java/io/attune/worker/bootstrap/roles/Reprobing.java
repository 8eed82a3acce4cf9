package io.attune.worker.bootstrap.roles;

import io.attune.worker.bootstrap.logging.LogContext;
import io.attune.worker.bootstrap.wiring.HangupSignal;
import io.attune.worker.core.model.capability.CapabilitySource;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.in.ReprobeCapabilitiesUseCase.Reprobe;
import io.attune.worker.core.service.ReprobeCapabilitiesService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules a running worker's re-probes: every {@code ATTUNE_REPROBE_SECONDS} and on SIGHUP, one at a time on a
 * thread of its own, when its runtimes were auto-detected. A change is logged with what appeared and what went away,
 * and handed to {@code onChange} (the runner learns the new interpreters). Declared runtimes (environment,
 * configuration file) are not re-probed: that is logged once at start-up, and SIGHUP then only says so.
 */
final class Reprobing implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Reprobing.class);

  private final String workerName;
  private final ReprobeCapabilitiesService service;
  private final Consumer<ResolvedCapabilities> onChange;
  private final ScheduledExecutorService thread;
  /** A SIGHUP's re-probe, with the log context of the thread that started the worker (the signal's has none). */
  private final Runnable onHangup = LogContext.carried(() -> reprobe("SIGHUP"));

  private Reprobing(String workerName, ReprobeCapabilitiesService service, Consumer<ResolvedCapabilities> onChange,
      ScheduledExecutorService thread) {
    this.workerName = workerName;
    this.service = service;
    this.onChange = onChange;
    this.thread = thread;
  }

  /**
   * Starts re-probing when {@code source} follows the machine, and takes over SIGHUP either way.
   *
   * @param interval zero for never on a schedule (SIGHUP still re-probes)
   */
  static Reprobing start(String workerName, CapabilitySource source, Duration interval,
      ReprobeCapabilitiesService service, Consumer<ResolvedCapabilities> onChange) {
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
        r -> DaemonThreads.named(r, "reprobe"));
    Reprobing reprobing = new Reprobing(workerName, service, onChange, thread);
    if (!source.followsTheMachine()) {
      LOG.info("worker {}: runtimes declared by the {} are not re-probed (re-probing follows auto-detected runtimes"
          + " only); SIGHUP does nothing", workerName, source.wireName());
      HangupSignal.onHangup(() -> LOG.info("worker {}: SIGHUP: runtimes declared by the {}, nothing to re-probe",
          workerName, source.wireName())).ifPresent(why -> LOG.warn("worker {}: {}", workerName, why));
      thread.shutdown();
      return reprobing;
    }
    if (interval.isZero()) {
      LOG.info("worker {}: re-probing on a schedule is off (ATTUNE_REPROBE_SECONDS=0); SIGHUP re-probes",
          workerName);
    } else {
      // the worker's name in the log context of the thread that starts it, for the re-probes' lines
      Runnable scheduled = LogContext.carried(() -> reprobing.reprobe("every " + interval.toSeconds() + " s"));
      thread.scheduleWithFixedDelay(scheduled, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("worker {}: re-probing its runtimes every {} s and on SIGHUP", workerName, interval.toSeconds());
    }
    HangupSignal.onHangup(reprobing::reprobeSoon).ifPresent(why -> LOG.warn("worker {}: {}", workerName, why));
    return reprobing;
  }

  /** Runs a re-probe on the re-probe thread; on the signal thread, which must not wait for probes. */
  private void reprobeSoon() {
    try {
      thread.execute(onHangup);
    } catch (RejectedExecutionException stopped) {
      LOG.info("worker {}: SIGHUP ignored: the worker is stopping", workerName);
    }
  }

  private void reprobe(String trigger) {
    try {
      Reprobe outcome = service.reprobe();
      if (outcome.changed()) {
        LOG.info("worker {}: re-probed ({}): {}; registration updated, runtimes now {}", workerName, trigger,
            outcome.change().describe(), outcome.resolved().capabilities().runtimes().stream()
                .map(RuntimeName::value).collect(Collectors.joining(",")));
        onChange.accept(outcome.resolved());
      } else if (trigger.equals("SIGHUP")) {
        LOG.info("worker {}: re-probed ({}): no change", workerName, trigger);
      } else {
        LOG.debug("worker {}: re-probed ({}): no change", workerName, trigger);
      }
    } catch (RuntimeException failed) {
      // the worker keeps advertising what it did; the next re-probe compares against that and tries again
      LOG.warn("worker {}: re-probe ({}) failed: {}", workerName, trigger, failed.getMessage());
    }
  }

  /** Stops re-probing and waits for a re-probe under way, so none registers the worker after its drain began. */
  @Override
  public void close() {
    // not shutdownNow: an interrupted probe finds nothing, which would register a worker without its runtimes
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("worker {}: a re-probe is still running", workerName);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
