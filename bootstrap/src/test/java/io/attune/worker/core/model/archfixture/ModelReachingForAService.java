package io.attune.worker.core.model.archfixture;

import io.attune.worker.core.service.ScheduleExecutionService;

/** Deliberately breaks the model's rule: a model class that reaches out to a use case. Test sources only. */
public final class ModelReachingForAService {

  public String leak(ScheduleExecutionService scheduling) {
    return scheduling.toString();
  }
}
