package io.attune.worker.adapter.local.probe;

import io.attune.worker.core.model.capability.Gpu;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code nvidia-smi} is asked for the GPUs and how its answer reads: one line per GPU, {@code <name>, <memory in
 * MiB>}, e.g. {@code NVIDIA A100-SXM4-80GB, 81920}.
 */
final class NvidiaSmi {

  static final String BINARY = "nvidia-smi";
  static final List<String> ARGUMENTS = List.of("--query-gpu=name,memory.total", "--format=csv,noheader,nounits");
  static final String EXPECTED = "expected one line per GPU: '<name>, <memory in MiB>', e.g. "
      + "'NVIDIA A100-SXM4-80GB, 81920'";
  private static final int SHOWN = 60;

  private NvidiaSmi() {
  }

  /**
   * The GPUs of the output, in its order; empty output means none.
   *
   * @throws IllegalArgumentException naming the first line not of the expected shape and what was expected
   */
  static List<Gpu> parse(String output) {
    List<Gpu> gpus = new ArrayList<>();
    for (String line : output.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      // the name is everything before the last comma: a name with a comma in it still reads
      int comma = line.lastIndexOf(',');
      String name = comma < 0 ? "" : line.substring(0, comma).strip();
      String memory = comma < 0 ? "" : line.substring(comma + 1).strip();
      if (name.isEmpty() || !memory.matches("\\d{1,9}")) {
        throw new IllegalArgumentException("unexpected output '" + excerpt(line) + "': " + EXPECTED);
      }
      gpus.add(new Gpu(name, Integer.parseInt(memory)));
    }
    return gpus;
  }

  private static String excerpt(String line) {
    String oneLine = line.strip();
    return oneLine.length() <= SHOWN ? oneLine : oneLine.substring(0, SHOWN) + "...";
  }
}
