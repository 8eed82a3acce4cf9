package io.attune.worker.core.model.capability;

/** Which tier supplied a worker's runtimes, highest precedence first. */
public enum CapabilitySource {
  /** The {@code ATTUNE_WORKER_RUNTIMES} environment variable. */
  ENVIRONMENT("environment"),
  /** The configuration file's {@code worker.capabilities.runtimes}. */
  CONFIG("config"),
  /** Probing the machine for runtime binaries. */
  AUTO_DETECT("auto-detect");

  private final String wireName;

  CapabilitySource(String wireName) {
    this.wireName = wireName;
  }

  /**
   * True when the runtimes follow the machine and are worth probing again; the environment and the configuration
   * file are declarations, which a probe cannot change.
   */
  public boolean followsTheMachine() {
    return this == AUTO_DETECT;
  }

  /** The name printed by {@code capabilities} and logged at start-up. */
  public String wireName() {
    return wireName;
  }
}
