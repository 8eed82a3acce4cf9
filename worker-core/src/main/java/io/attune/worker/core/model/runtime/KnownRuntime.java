package io.attune.worker.core.model.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A runtime the worker knows how to find by itself: the binaries to try, in order, and how to ask their version.
 */
public record KnownRuntime(RuntimeName name, List<String> binaries, List<String> versionArguments) {

  /** What auto-detection probes, in the order the architecture names them. */
  public static final List<KnownRuntime> PROBED = List.of(
      new KnownRuntime(RuntimeName.PYTHON, List.of("python3", "python"), List.of("--version")),
      new KnownRuntime(RuntimeName.NODE, List.of("node", "nodejs"), List.of("--version")),
      new KnownRuntime(RuntimeName.RUBY, List.of("ruby"), List.of("--version")),
      // `go --version` is an error: the go tool reports its version with the `version` sub-command
      new KnownRuntime(RuntimeName.GO, List.of("go"), List.of("version")),
      new KnownRuntime(RuntimeName.JAVA, List.of("java"), List.of("-version")),
      new KnownRuntime(RuntimeName.PERL, List.of("perl"), List.of("--version")));

  /** Runtimes every worker offers without probing: a POSIX shell and native executables. */
  public static final List<RuntimeName> ALWAYS_OFFERED = List.of(RuntimeName.SHELL, RuntimeName.NATIVE);

  public KnownRuntime {
    Objects.requireNonNull(name, "name");
    binaries = List.copyOf(binaries);
    versionArguments = List.copyOf(versionArguments);
    if (binaries.isEmpty()) {
      throw new IllegalArgumentException("runtime " + name + " needs at least one binary to probe");
    }
  }

  /** The probe recipe for a runtime, if it is one the worker knows how to find. */
  public static Optional<KnownRuntime> forName(RuntimeName name) {
    return PROBED.stream().filter(k -> k.name.equals(name)).findFirst();
  }
}
