package io.attune.worker.core.port.out;

import java.util.Map;
import java.util.Optional;

/** Reads environment variables; tests and embedders pass a map instead of the process environment. */
@FunctionalInterface
public interface Environment {

  /** Comma-separated runtimes: the highest tier of capability declaration. */
  String WORKER_RUNTIMES = "ATTUNE_WORKER_RUNTIMES";
  /** The concurrency limit. */
  String WORKER_MAX_CONCURRENT_EXECUTIONS = "ATTUNE_WORKER_MAX_CONCURRENT_EXECUTIONS";
  /** {@code key=value,key=value} labels. */
  String WORKER_LABELS = "ATTUNE_WORKER_LABELS";
  /** Comma-separated packs the worker serves; unset or blank: the configuration's, else every pack. */
  String WORKER_PACKS = "ATTUNE_WORKER_PACKS";

  /** The value of a variable, absent when it is not set. */
  Optional<String> get(String name);

  /** An environment backed by a map. */
  static Environment of(Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(variables);
    return name -> Optional.ofNullable(copy.get(name));
  }

  /** The environment of this process. */
  static Environment system() {
    return name -> Optional.ofNullable(System.getenv(name));
  }
}
