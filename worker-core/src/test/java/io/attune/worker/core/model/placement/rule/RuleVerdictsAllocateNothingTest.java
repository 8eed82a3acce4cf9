package io.attune.worker.core.model.placement.rule;

import static io.attune.worker.core.testkit.ActionFixture.anAction;
import static io.attune.worker.core.testkit.WorkerFixture.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attune.worker.core.model.placement.Fleet;
import io.attune.worker.core.model.placement.FleetGroup;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Worker;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verdicts of the rules run on every capability group and member of every decision, so they must allocate
 * nothing: checked with the JVM's per-thread allocation counter on the pack and GPU rules, which read sets and
 * lists of the capabilities on that path, and on every state rule as the decision runs it, on a fleet cursor.
 */
class RuleVerdictsAllocateNothingTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final int CALLS = 200_000;

  @Test
  void the_pack_gpu_and_state_verdicts_allocate_nothing_once_warm() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
        "this JVM does not count allocations per thread");
    Worker worker = aWorker("g").runtimes("shell").packs("core", "ml").gpus(1, "Tesla T4", 15360)
        .gpus(2, "NVIDIA A100", 81920).reserved("gpus", 1).build(NOW);
    FleetGroup.Cursor member = new FleetGroup.Cursor().at(Fleet.of(List.of(worker)).groups().get(0), 0);
    ActionRequirements action = anAction("ml.train").gpus(2, 40000).build();
    List<PlacementRule> rules = List.of(new OfferRules.PackServed(), new OfferRules.GpusOffered(),
        new StateRules.ResourceFree(ResourceKinds.GPUS));
    List<StateRule> stateRules = PlacementRules.standard().stream().filter(StateRule.class::isInstance)
        .map(StateRule.class::cast).toList();

    long thread = Thread.currentThread().getId();
    long allocated = Long.MAX_VALUE;
    // a few rounds: the first ones run before the JIT has compiled the loop; the least is the steady state
    for (int round = 0; round < 5; round++) {
      int admitted = 0;
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < CALLS; i++) {
        for (int r = 0; r < rules.size(); r++) {
          if (rules.get(r).admits(action, worker, NOW)) {
            admitted++;
          }
        }
        for (int r = 0; r < stateRules.size(); r++) {
          if (stateRules.get(r).admits(action, member, NOW)) {
            admitted++;
          }
        }
      }
      long after = threads.getThreadAllocatedBytes(thread);
      allocated = Math.min(allocated, after - before);
      // the pack is served and two GPUs of 40000 MiB exist, but one of them is busy; all else admits the worker
      assertThat(admitted).isEqualTo(CALLS * 6);
    }

    // a few hundred bytes are the counter's own reading; one allocation per call would be megabytes
    assertThat(allocated).isLessThan(4096);
  }
}
