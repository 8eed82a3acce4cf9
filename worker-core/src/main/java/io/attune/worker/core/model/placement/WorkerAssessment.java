package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.placement.rule.Rejection;
import io.attune.worker.core.model.worker.Worker;
import java.util.List;
import java.util.Objects;

/**
 * One worker's verdict for one action: every rejection (not only the first), and its rank if eligible.
 *
 * @param preferenceScore the sum of the weights of the action's preferred terms that the worker matches, plus the
 *     action's {@code prefer_previous_worker} weight when it is the previous worker
 * @param untoleratedSoftTaints the worker's {@code prefer_no_schedule} taints the action does not tolerate
 * @param previousWorker true when the action asks for the worker that last ran it successfully and this is that one
 */
public record WorkerAssessment(Worker worker, List<Rejection> rejections, int preferenceScore,
    int untoleratedSoftTaints, boolean previousWorker) {

  public WorkerAssessment {
    Objects.requireNonNull(worker, "worker");
    rejections = List.copyOf(rejections);
  }

  /** True when no rule rejects the worker. */
  public boolean eligible() {
    return rejections.isEmpty();
  }

  /** True when the worker is rejected only for transient reasons: it could run the action once idle and healthy. */
  public boolean couldRunLater() {
    return !rejections.isEmpty() && rejections.stream().allMatch(r -> r.code().isTransient());
  }
}
