package io.attune.worker.core.archfixture.cycle;

import io.attune.worker.core.archfixture.CycleLeft;

/** The other half of a deliberate package cycle. Test sources only. */
public final class CycleRight {
  public CycleLeft left() {
    return new CycleLeft();
  }
}
