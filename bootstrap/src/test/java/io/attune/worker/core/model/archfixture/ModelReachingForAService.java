package io.attune.worker.core.model.archfixture;

import io.attune.worker.core.service.SchedulingService;

/** Deliberately breaks the model's rule: a model class that reaches out to a use case. Test sources only. */
public final class ModelReachingForAService {

  public String leak(SchedulingService scheduling) {
    return scheduling.toString();
  }
}
