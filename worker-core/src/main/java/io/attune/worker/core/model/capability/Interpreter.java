package io.attune.worker.core.model.capability;

import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import java.util.Objects;

/**
 * A runtime binary that a probe found and that answered with a version: proof that the runtime can run here.
 *
 * @param runtime the runtime it serves
 * @param binary the name that was probed, e.g. {@code python3}
 * @param path the absolute path that was run
 * @param version the version it reported
 */
public record Interpreter(RuntimeName runtime, String binary, String path, Version version) {
  public Interpreter {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(version, "version");
  }
}
