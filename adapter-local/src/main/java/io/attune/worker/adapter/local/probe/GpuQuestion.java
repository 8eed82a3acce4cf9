package io.attune.worker.adapter.local.probe;

import io.attune.worker.adapter.local.process.BinaryLocator;
import io.attune.worker.adapter.local.process.BinaryLocator.Located;
import io.attune.worker.core.model.capability.Gpu;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Asks {@code nvidia-smi} for the GPUs. A machine without it has no NVIDIA GPU, which is no reason for a warning; one
 * whose {@code nvidia-smi} fails, hangs or answers in a shape not expected advertises no GPU, with a warning saying
 * why.
 */
final class GpuQuestion {

  /** Asked for no GPUs, or none found without anything worth a warning. */
  static final GpuAnswer NONE = new GpuAnswer(List.of(), null);

  private GpuQuestion() {
  }

  /** The GPUs found, and a warning when looking for them went wrong. */
  record GpuAnswer(List<Gpu> gpus, String warning) {
  }

  static GpuAnswer ask(BinaryLocator locator, ProbeRun runs) {
    Located located = locator.locate(NvidiaSmi.BINARY);
    if (located.path() == null) {
      return located.absent() ? NONE : noGpu(located.problem() + "; no GPU advertised");
    }
    ProbeRun.Ran ran = runs.run(located.path(), NvidiaSmi.ARGUMENTS);
    if (ran.failure() != null) {
      return noGpu(ran.failure() + "; no GPU advertised");
    }
    try {
      return new GpuAnswer(NvidiaSmi.parse(ran.output()), null);
    } catch (IllegalArgumentException unexpected) {
      return noGpu(unexpected.getMessage() + "; no GPU advertised");
    }
  }

  /** The answer of a question asked on another thread; a failure there is a warning too. */
  static GpuAnswer await(Future<GpuAnswer> pending) {
    try {
      return pending.get();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return noGpu("probe interrupted");
    } catch (ExecutionException bug) {
      return noGpu("probe failed: " + bug.getCause());
    }
  }

  private static GpuAnswer noGpu(String why) {
    return new GpuAnswer(List.of(), NvidiaSmi.BINARY + ": " + why);
  }
}
