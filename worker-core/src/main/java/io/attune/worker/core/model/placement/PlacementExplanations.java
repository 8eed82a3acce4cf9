package io.attune.worker.core.model.placement;

import io.attune.worker.core.model.placement.rule.Rejection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a placement report as a JSON-shaped tree (maps, lists, strings, numbers, booleans):
 * {@code {"action", "outcome", "selected", "workers": [{"name", "eligible", "score", "rejections": [{"code",
 * "detail"}]}]}}; the entry of the worker that last ran the action successfully, when the action prefers it, also
 * has {@code "previous_worker": true} (its score includes the preference's weight). The {@code explain} command prints it and an unschedulable execution stores it as its result.
 */
public final class PlacementExplanations {

  private PlacementExplanations() {
  }

  public static Map<String, Object> toTree(PlacementReport report) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("action", report.actionRef().toString());
    tree.put("outcome", report.outcome().wireName());
    tree.put("selected", report.selected().map(w -> w.name()).orElse(null));
    List<Object> workers = new ArrayList<>();
    for (WorkerAssessment assessment : report.workers()) {
      Map<String, Object> worker = new LinkedHashMap<>();
      worker.put("name", assessment.worker().name());
      worker.put("eligible", assessment.eligible());
      worker.put("score", assessment.preferenceScore());
      if (assessment.previousWorker()) {
        worker.put("previous_worker", true);
      }
      List<Object> rejections = new ArrayList<>();
      for (Rejection rejection : assessment.rejections()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("code", rejection.code().wireName());
        r.put("detail", rejection.detail());
        rejections.add(r);
      }
      worker.put("rejections", rejections);
      workers.add(worker);
    }
    tree.put("workers", workers);
    return tree;
  }

  /** One line for people: the outcome and, when nothing was selected, why each worker was rejected. */
  public static String summary(PlacementReport report) {
    if (report.workers().isEmpty()) {
      return report.outcome().wireName() + ": no worker is registered";
    }
    if (report.selected().isPresent()) {
      return "selected " + report.selected().get().name();
    }
    return report.outcome().wireName() + ": " + report.workers().stream()
        .map(a -> a.worker().name() + " (" + a.rejections().stream().map(r -> r.code().wireName())
            .collect(Collectors.joining(", ")) + ")")
        .collect(Collectors.joining("; "));
  }
}
