package io.attune.worker.core.model.worker;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One process that holds a worker name: what tells two processes under the same name apart, and what lets a process
 * on the same machine tell whether an earlier holder is still running.
 *
 * @param id random, unique per process start
 * @param host the host name the process ran on, for people
 * @param bootId the kernel's boot id ({@code /proc/sys/kernel/random/boot_id}); empty when unknown
 * @param pidNamespace the process's PID namespace ({@code /proc/self/ns/pid}); empty when unknown. With the boot id,
 *     it says whether a process id means the same process here as for the holder
 * @param pid the process id within that namespace
 * @param startedAt when the process started, which a reused process id does not share
 */
public record ProcessInstance(String id, String host, String bootId, String pidNamespace, long pid,
    Instant startedAt) {

  public ProcessInstance {
    if (id == null || id.isBlank() || id.length() > 64) {
      throw new IllegalArgumentException("a process instance id must be 1-64 characters, was '" + id + "'");
    }
    host = host == null ? "" : host;
    bootId = bootId == null ? "" : bootId.trim();
    pidNamespace = pidNamespace == null ? "" : pidNamespace.trim();
    if (pid < 0) {
      throw new IllegalArgumentException("a process id must not be negative, was " + pid);
    }
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /**
   * True when a process id of {@code other} can be looked up here: both run on this kernel since the same boot, in
   * the same PID namespace. Two containers on one host share the boot id but not the namespace.
   */
  public boolean sameProcessTableAs(ProcessInstance other) {
    return !bootId.isEmpty() && !pidNamespace.isEmpty() && bootId.equals(other.bootId)
        && pidNamespace.equals(other.pidNamespace);
  }

  /** For messages: {@code instance <id> (pid <pid> on <host>)}. */
  public String describe() {
    return "instance " + id + " (pid " + pid + (host.isEmpty() ? "" : " on " + host) + ", started " + startedAt + ")";
  }

  /** The same, when known; for records that may predate instances. */
  public static String describe(Optional<ProcessInstance> instance) {
    return instance.map(ProcessInstance::describe).orElse("a process that recorded no instance");
  }
}
