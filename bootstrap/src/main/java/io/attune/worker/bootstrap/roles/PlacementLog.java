package io.attune.worker.bootstrap.roles;

import io.attune.worker.bootstrap.logging.LogContext;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says what became of one placement, a request's or a sweep's, in a line naming the execution. */
final class PlacementLog {

  /** The scheduler's logger: these are the scheduler's lines, and operators filter on its name. */
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerRole.class);

  private PlacementLog() {
  }

  static void log(Scheduling result) {
    try (LogContext.Scope named = LogContext.execution(result.id())) {
      logNamed(result);
    }
  }

  private static void logNamed(Scheduling result) {
    if (result instanceof Scheduling.Dispatched d) {
      LOG.info("execution {} ({}) attempt {} -> {}", d.id(), d.execution().actionRef(), d.execution().attempt(),
          d.worker().name());
    } else if (result instanceof Scheduling.Unschedulable u) {
      LOG.info("execution {} ({}) is unschedulable: {}", u.id(), u.execution().actionRef(),
          u.execution().result().map(r -> r.message()).orElse(""));
    } else if (result instanceof Scheduling.Waiting w) {
      LOG.debug("execution {} ({}) waits for capacity", w.id(), w.execution().actionRef());
    }
  }
}
