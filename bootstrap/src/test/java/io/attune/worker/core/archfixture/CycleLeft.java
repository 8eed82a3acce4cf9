package io.attune.worker.core.archfixture;

import io.attune.worker.core.archfixture.cycle.CycleRight;

/** One half of a deliberate package cycle. Test sources only. */
public final class CycleLeft {
  public CycleRight right() {
    return new CycleRight();
  }
}
