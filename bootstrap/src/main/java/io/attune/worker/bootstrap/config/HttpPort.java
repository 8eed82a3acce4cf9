package io.attune.worker.bootstrap.config;

import io.attune.worker.core.error.ConfigurationException;
import java.util.Optional;

/**
 * {@code ATTUNE_HTTP_PORT}: the port of {@code /metrics}, {@code /healthz} and {@code /readyz} on {@code run} and
 * {@code scheduler}. Unset (or empty): no HTTP server. 0 takes a free port, which the process logs.
 */
public final class HttpPort {

  public static final String VARIABLE = Settings.HTTP_PORT.variableName();
  /** The port the container images set, Prometheus's usual one for an exporter of this kind. */
  public static final int CONTAINER_DEFAULT = 9464;

  private HttpPort() {
  }

  /**
   * The port from the configuration's environment, when set.
   *
   * @throws ConfigurationException naming the variable when it is not a port number from 0 to 65535
   */
  public static Optional<Integer> of(AttuneConfig config) {
    String text = config.environment().get(VARIABLE);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65_535) {
        return Optional.of(port);
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new ConfigurationException("environment", VARIABLE + "='" + text + "'",
        "expected a port number from 1 to 65535 (0: any free port)");
  }
}
