package io.attune.worker.core.model.capability;

import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What changed in the runtimes a worker advertises between two resolutions: runtimes that appeared, runtimes that
 * went away (each with the versions it had), and runtimes whose versions changed.
 *
 * @param appeared runtimes offered now and not before, with their versions now
 * @param disappeared runtimes offered before and not now, with the versions they had
 * @param versionChanges runtimes offered both times whose versions differ
 */
public record CapabilityChange(
    Map<RuntimeName, List<Version>> appeared,
    Map<RuntimeName, List<Version>> disappeared,
    Map<RuntimeName, VersionChange> versionChanges) {

  public CapabilityChange {
    appeared = sortedCopy(appeared);
    disappeared = sortedCopy(disappeared);
    versionChanges = Collections.unmodifiableMap(new TreeMap<>(versionChanges));
  }

  /** The versions of one runtime before and after. */
  public record VersionChange(List<Version> before, List<Version> after) {
    public VersionChange {
      before = List.copyOf(before);
      after = List.copyOf(after);
    }
  }

  /** Nothing changed. */
  public static CapabilityChange none() {
    return new CapabilityChange(Map.of(), Map.of(), Map.of());
  }

  /** The change from {@code before} to {@code after}, by runtime name, then by the versions of each. */
  public static CapabilityChange between(Capabilities before, Capabilities after) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Map<RuntimeName, List<Version>> appeared = new TreeMap<>();
    Map<RuntimeName, List<Version>> disappeared = new TreeMap<>();
    Map<RuntimeName, VersionChange> changed = new TreeMap<>();
    for (RuntimeName runtime : after.runtimes()) {
      if (!before.offers(runtime)) {
        appeared.put(runtime, after.versionsOf(runtime));
      } else if (!before.versionsOf(runtime).equals(after.versionsOf(runtime))) {
        changed.put(runtime, new VersionChange(before.versionsOf(runtime), after.versionsOf(runtime)));
      }
    }
    for (RuntimeName runtime : before.runtimes()) {
      if (!after.offers(runtime)) {
        disappeared.put(runtime, before.versionsOf(runtime));
      }
    }
    return new CapabilityChange(appeared, disappeared, changed);
  }

  /** True when no runtime appeared, went away or changed its versions. */
  public boolean isEmpty() {
    return appeared.isEmpty() && disappeared.isEmpty() && versionChanges.isEmpty();
  }

  /**
   * One line for the log, e.g. {@code appeared: ruby 3.2.2; went away: node 20.1.0; changed: python 3.11.2 ->
   * 3.12.1}, or {@code no change}.
   */
  public String describe() {
    if (isEmpty()) {
      return "no change";
    }
    List<String> parts = new ArrayList<>();
    if (!appeared.isEmpty()) {
      parts.add("appeared: " + listed(appeared));
    }
    if (!disappeared.isEmpty()) {
      parts.add("went away: " + listed(disappeared));
    }
    if (!versionChanges.isEmpty()) {
      List<String> changes = new ArrayList<>();
      versionChanges.forEach((runtime, change) -> changes.add(runtime.value() + " " + versions(change.before())
          + " -> " + versions(change.after())));
      parts.add("changed: " + String.join(", ", changes));
    }
    return String.join("; ", parts);
  }

  @Override
  public String toString() {
    return describe();
  }

  private static String listed(Map<RuntimeName, List<Version>> runtimes) {
    List<String> entries = new ArrayList<>();
    runtimes.forEach((runtime, versions) -> entries.add(versions.isEmpty()
        ? runtime.value() : runtime.value() + " " + versions(versions)));
    return String.join(", ", entries);
  }

  private static String versions(List<Version> versions) {
    if (versions.isEmpty()) {
      return "(no version)";
    }
    List<String> texts = new ArrayList<>();
    versions.forEach(v -> texts.add(v.toString()));
    return String.join("/", texts);
  }

  private static Map<RuntimeName, List<Version>> sortedCopy(Map<RuntimeName, List<Version>> runtimes) {
    Map<RuntimeName, List<Version>> copy = new TreeMap<>();
    runtimes.forEach((runtime, versions) -> copy.put(runtime, List.copyOf(versions)));
    return Collections.unmodifiableMap(copy);
  }
}
