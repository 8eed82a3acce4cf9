package io.attune.worker.bootstrap.wiring;

import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.port.out.ProcessTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * This process as a holder of a worker name ({@link ProcessInstance}), and this machine's process table: what the
 * core needs to tell whether an earlier holder of the name still runs here. Linux: the boot id and the PID namespace
 * come from {@code /proc}; elsewhere they are unknown, and no holder is judged gone by its process id.
 */
public final class ThisProcess {

  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
  private static final Path PID_NAMESPACE = Path.of("/proc/self/ns/pid");
  /** Start instants are computed from clock ticks and the boot time: allow for rounding. */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  private ThisProcess() {
  }

  /** This process, with a new random id. */
  public static ProcessInstance instance(String host) {
    ProcessHandle self = ProcessHandle.current();
    return new ProcessInstance(UUID.randomUUID().toString(), host, read(BOOT_ID).orElse(""),
        link(PID_NAMESPACE).orElse(""), self.pid(), self.info().startInstant().orElse(Instant.EPOCH));
  }

  /** The machine's processes: running, and started at the given instant. */
  public static ProcessTable processTable() {
    return (pid, startedAt) -> ProcessHandle.of(pid)
        .map(process -> process.info().startInstant()
            .map(started -> Duration.between(started, startedAt).abs().compareTo(START_TOLERANCE) <= 0)
            // alive, start unknown: count it as the holder
            .orElse(true))
        .orElse(false);
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file).strip()).filter(text -> !text.isEmpty());
    } catch (IOException | RuntimeException unavailable) {
      return Optional.empty();
    }
  }

  private static Optional<String> link(Path file) {
    try {
      return Optional.of(Files.readSymbolicLink(file).toString());
    } catch (IOException | RuntimeException unavailable) {
      return Optional.empty();
    }
  }
}
