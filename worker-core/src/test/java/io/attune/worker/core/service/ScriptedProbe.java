package io.attune.worker.core.service;

import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.port.out.RuntimeProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A runtime probe that "finds" what the test scripts and records what it was asked. */
final class ScriptedProbe implements RuntimeProbe {

  private final Map<RuntimeName, Interpreter> installed = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<List<RuntimeName>> asked = new ArrayList<>();
  private final List<Gpu> gpus = new ArrayList<>();
  private int gpuProbes;

  /** The machine has this runtime's binary, answering with the version. */
  ScriptedProbe finds(String runtime, String binary, String version) {
    RuntimeName name = RuntimeName.of(runtime);
    installed.put(name, new Interpreter(name, binary, "/usr/bin/" + binary, Version.parse(version)));
    return this;
  }

  /** The machine has this GPU. */
  ScriptedProbe findsGpu(String model, int memoryMib) {
    gpus.add(new Gpu(model, memoryMib));
    return this;
  }

  /** How many times GPUs were looked for. */
  int gpuProbes() {
    return gpuProbes;
  }

  /** The runtime's binary is gone from the machine. */
  ScriptedProbe loses(String runtime) {
    installed.remove(RuntimeName.of(runtime));
    return this;
  }

  /** A binary that did not answer. */
  ScriptedProbe warns(String warning) {
    warnings.add(warning);
    return this;
  }

  /** The runtimes of each call, in the order asked. */
  List<List<RuntimeName>> asked() {
    return asked;
  }

  @Override
  public ProbeReport probe(List<KnownRuntime> runtimes) {
    asked.add(runtimes.stream().map(KnownRuntime::name).toList());
    List<Interpreter> found = new ArrayList<>();
    for (KnownRuntime runtime : runtimes) {
      Interpreter interpreter = installed.get(runtime.name());
      if (interpreter != null) {
        found.add(interpreter);
      }
    }
    return new ProbeReport(found, warnings);
  }

  @Override
  public ProbeReport probeWithGpus(List<KnownRuntime> runtimes) {
    gpuProbes++;
    ProbeReport runtimesOnly = probe(runtimes);
    return new ProbeReport(runtimesOnly.interpreters(), gpus, runtimesOnly.warnings());
  }
}
