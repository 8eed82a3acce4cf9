package io.attune.worker.benchmarks.placement;

import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.testkit.ActionFixture;

/** The kinds of action the placement benchmark places, each hitting a different part of the fleet. */
enum BenchmarkAction {
  /** Python at least 3.10: the python and full variants minus their 3.9 workers. */
  PYTHON_3_10(ActionFixture.anAction("bench.python").runtime("python").version(">=3.10")),
  /** Any node: the node and full variants. */
  NODE(ActionFixture.anAction("bench.node").runtime("node")),
  /** Shell pinned to one zone by a selector: a third of the fleet. */
  SHELL_EAST(ActionFixture.anAction("bench.shell").runtime("shell").selector("zone", "east")),
  /** Python anywhere, preferring the west zone: the preferred groups form the first tier. */
  PYTHON_PREFERS_WEST(ActionFixture.anAction("bench.prefers").runtime("python").prefers(60, "zone", "west"));

  private final ActionRequirements requirements;

  BenchmarkAction(ActionFixture fixture) {
    this.requirements = fixture.build();
  }

  ActionRequirements requirements() {
    return requirements;
  }
}
