package io.attune.worker.core.model.capability;

import java.util.Objects;

/**
 * One GPU a worker offers: its model as the driver names it and its memory in MiB, as {@code nvidia-smi} reports
 * them ({@code --query-gpu=name,memory.total}).
 */
public record Gpu(String model, int memoryMib) {

  public Gpu {
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException("a GPU's model must not be blank");
    }
    model = model.strip();
    if (memoryMib < 0) {
      throw new IllegalArgumentException("GPU " + model + ": memory must not be negative, was " + memoryMib + " MiB");
    }
  }

  @Override
  public String toString() {
    return model + " (" + memoryMib + " MiB)";
  }
}
