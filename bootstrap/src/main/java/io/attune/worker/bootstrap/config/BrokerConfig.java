package io.attune.worker.bootstrap.config;

import java.util.Objects;
import java.util.Optional;

/**
 * How to reach RabbitMQ: the URL, and optionally a user and password apart from it ({@code ATTUNE_MQ_USER},
 * {@code ATTUNE_MQ_PASSWORD}), which win over the URL's and need no percent-encoding. No password appears in
 * {@link #toString()}.
 *
 * @param maxMessageBytes the largest message a consumer accepts ({@code ATTUNE_MQ_MAX_MESSAGE_BYTES}); 0 for the
 *     transport's default
 */
public record BrokerConfig(String url, Optional<String> user, Optional<String> password, int maxMessageBytes) {
  public BrokerConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /** With the transport's default message cap. */
  public BrokerConfig(String url, Optional<String> user, Optional<String> password) {
    this(url, user, password, 0);
  }

  @Override
  public String toString() {
    return "BrokerConfig[url=" + ConfigLoader.maskUrl(url) + user.map(u -> ", user=" + u).orElse("")
        + password.map(p -> ", password=***").orElse("") + "]";
  }
}
