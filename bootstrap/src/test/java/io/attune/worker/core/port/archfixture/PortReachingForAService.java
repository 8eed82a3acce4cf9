package io.attune.worker.core.port.archfixture;

import io.attune.worker.core.service.RunExecutionService;

/** Deliberately breaks the ports' rule: a port that names its implementation. Test sources only. */
public interface PortReachingForAService {

  RunExecutionService implementation();
}
