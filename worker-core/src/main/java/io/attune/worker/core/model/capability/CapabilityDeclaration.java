package io.attune.worker.core.model.capability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code worker.capabilities} section of a configuration file, as written, before validation.
 *
 * @param source the file it came from, for error messages
 * @param runtimes the raw {@code runtimes} entries, absent when the key is missing
 * @param maxConcurrentExecutions the declared limit, if any
 * @param labels declared labels
 * @param taints declared taints
 * @param extras every other key, passed through unchanged
 * @param packs the packs the worker serves, from the file's {@code worker.packs} (beside the section); empty: all
 */
public record CapabilityDeclaration(
    String source,
    Optional<List<Object>> runtimes,
    Optional<Integer> maxConcurrentExecutions,
    Map<String, String> labels,
    List<Taint> taints,
    Map<String, Object> extras,
    List<String> packs) {

  public CapabilityDeclaration {
    Objects.requireNonNull(source, "source");
    runtimes = runtimes.map(List::copyOf);
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
    extras = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    packs = List.copyOf(packs);
  }

  /** A declaration of everything but packs: the worker serves every pack. */
  public CapabilityDeclaration(String source, Optional<List<Object>> runtimes,
      Optional<Integer> maxConcurrentExecutions, Map<String, String> labels, List<Taint> taints,
      Map<String, Object> extras) {
    this(source, runtimes, maxConcurrentExecutions, labels, taints, extras, List.of());
  }

  /** The same declaration serving only these packs (none: all). */
  public CapabilityDeclaration withPacks(List<String> names) {
    return new CapabilityDeclaration(source, runtimes, maxConcurrentExecutions, labels, taints, extras, names);
  }

  /** A declaration that only names runtimes, as raw entries. */
  public static CapabilityDeclaration ofRuntimes(String source, List<Object> runtimes) {
    return new CapabilityDeclaration(source, Optional.of(runtimes), Optional.empty(), Map.of(), List.of(), Map.of());
  }

  /** A file that declares nothing about capabilities. */
  public static CapabilityDeclaration empty(String source) {
    return new CapabilityDeclaration(source, Optional.empty(), Optional.empty(), Map.of(), List.of(), Map.of());
  }
}
