package io.attune.worker.adapter.rabbitmq.broker;

import io.attune.worker.core.error.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the broker is and how this process names its connection.
 *
 * <p>The URL has the form {@code amqp://user:pass@host:port/vhost} ({@code amqps} for TLS). User and password are
 * optional (RabbitMQ's default is {@code guest:guest}); the port defaults to 5672 (5671 for {@code amqps}); the
 * virtual host is percent-encoded, so {@code %2F} is {@code /}, and an empty path means {@code /}. A query string is
 * ignored. The password never appears in {@link #toString()} nor in any message this adapter writes.
 *
 * <p>User and password may also be given apart from the URL ({@code ATTUNE_MQ_USER}, {@code ATTUNE_MQ_PASSWORD});
 * they win over the URL's. Taken as they are, without percent-decoding, so a password with {@code @ : / %} needs no
 * encoding, unlike inside a URL.
 *
 * @param url the broker URL
 * @param connectionName the name the broker shows for the connection; blank means {@value #DEFAULT_CONNECTION_NAME}
 * @param username the user name, or null for the URL's (else {@code guest})
 * @param password the password, or null for the URL's (else {@code guest})
 * @param workerQueueExpiry how long a worker's queue lives on without a consumer before the broker deletes it
 *     ({@code x-expires}): the queue of a worker gone for good does not stay for ever; what it held is recovered
 *     from the database
 * @param maxMessageBytes the largest message body a consumer of this adapter accepts, from
 *     {@value #MIN_MAX_MESSAGE_BYTES} to {@value #CLIENT_INBOUND_LIMIT_BYTES} bytes; a larger one is dead-lettered
 *     with the reason, unread, and the consumer goes on. 0 means {@value #DEFAULT_MAX_MESSAGE_BYTES}
 */
public record RabbitSettings(String url, String connectionName, String username, String password,
    Duration workerQueueExpiry, int maxMessageBytes) {

  /** The name of the environment variable that carries the URL; validation errors name it. */
  public static final String URL_VARIABLE = "ATTUNE_MQ_URL";

  /** How long a worker's queue outlives its last consumer unless said otherwise. */
  public static final Duration DEFAULT_WORKER_QUEUE_EXPIRY = Duration.ofHours(1);

  /** The environment variable the composition root reads {@link #maxMessageBytes()} from; errors name it. */
  public static final String MAX_MESSAGE_BYTES_VARIABLE = "ATTUNE_MQ_MAX_MESSAGE_BYTES";

  /**
   * The cap on a message body unless said otherwise: 64 KiB. A message carries ids, never payloads; the largest
   * envelope this adapter writes is a few hundred bytes (a dispatch with a long action reference), so the cap leaves
   * a hundredfold margin and still refuses anything that carries data.
   */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

  /** The smallest cap allowed: twice the adapter's largest envelope; a smaller value is taken for a mistake. */
  public static final int MIN_MAX_MESSAGE_BYTES = 1024;

  /**
   * The largest body the client library takes off the wire ({@code ConnectionFactory#setMaxInboundMessageBodySize}):
   * 16 MiB. A bigger delivery makes the library close the whole connection, and with automatic recovery the broker
   * redelivers it to the reopened one: a crash loop. So it sits above every broker limit this project configures
   * ({@code max_message_size} 8 MiB in compose, Kubernetes and the test broker), and equals RabbitMQ 4's default
   * {@code max_message_size}: whatever such a broker accepts reaches the consumer, which refuses it by
   * {@link #maxMessageBytes()} with the connection intact. It is no setting: raising it only lets more memory in.
   */
  public static final int CLIENT_INBOUND_LIMIT_BYTES = 16 * 1024 * 1024;

  /** The connection name used when none is given. */
  public static final String DEFAULT_CONNECTION_NAME = "attune-worker";

  static final String EXPECTED_FORM = "expected amqp://user:pass@host:port/vhost (or amqps://...), e.g. "
      + "amqp://guest:guest@localhost:5672/%2F";

  private static final String MASK = "****";
  private static final Pattern PASSWORD_IN_URL = Pattern.compile("(://[^:/@?#]*:)[^/?#]*@");

  public RabbitSettings {
    connectionName = connectionName == null || connectionName.isBlank() ? DEFAULT_CONNECTION_NAME
        : connectionName.strip();
    Endpoint.parse(url);
    workerQueueExpiry = workerQueueExpiry == null ? DEFAULT_WORKER_QUEUE_EXPIRY : workerQueueExpiry;
    if (workerQueueExpiry.toMillis() < 1 || workerQueueExpiry.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("worker queue expiry must be from 1 ms to about 24 days, was "
          + workerQueueExpiry);
    }
    maxMessageBytes = maxMessageBytes == 0 ? DEFAULT_MAX_MESSAGE_BYTES : maxMessageBytes;
    if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES || maxMessageBytes > CLIENT_INBOUND_LIMIT_BYTES) {
      throw new ConfigurationException(MAX_MESSAGE_BYTES_VARIABLE, "message cap " + maxMessageBytes + " bytes",
          "expected from " + MIN_MAX_MESSAGE_BYTES + " to " + CLIENT_INBOUND_LIMIT_BYTES + " bytes (the client's "
              + "own limit), or 0 for the default " + DEFAULT_MAX_MESSAGE_BYTES);
    }
  }

  /** Settings with the default cap on messages. */
  public RabbitSettings(String url, String connectionName, String username, String password,
      Duration workerQueueExpiry) {
    this(url, connectionName, username, password, workerQueueExpiry, DEFAULT_MAX_MESSAGE_BYTES);
  }

  /** Settings with the URL's credentials. */
  public RabbitSettings(String url, String connectionName) {
    this(url, connectionName, null, null, DEFAULT_WORKER_QUEUE_EXPIRY);
  }

  /** Settings with the default connection name. */
  public static RabbitSettings of(String url) {
    return new RabbitSettings(url, DEFAULT_CONNECTION_NAME);
  }

  /** The same settings with this user and password instead of the URL's; null keeps the URL's. */
  public RabbitSettings withCredentials(String user, String secret) {
    return new RabbitSettings(url, connectionName, user, secret, workerQueueExpiry, maxMessageBytes);
  }

  /** The same settings with another expiry of idle worker queues. */
  public RabbitSettings withWorkerQueueExpiry(Duration expiry) {
    return new RabbitSettings(url, connectionName, username, password, expiry, maxMessageBytes);
  }

  /**
   * The same settings with another cap on message bodies ({@code ATTUNE_MQ_MAX_MESSAGE_BYTES}); 0 means the
   * default.
   *
   * @throws ConfigurationException naming {@value #MAX_MESSAGE_BYTES_VARIABLE} when out of range
   */
  public RabbitSettings withMaxMessageBytes(int bytes) {
    return new RabbitSettings(url, connectionName, username, password, workerQueueExpiry, bytes);
  }

  /** The URL with its password replaced by {@code ****}: safe for logs and messages. */
  public String maskedUrl() {
    return mask(url);
  }

  @Override
  public String toString() {
    return "RabbitSettings[url=" + maskedUrl() + ", connectionName=" + connectionName
        + (username == null ? "" : ", username=" + username) + (password == null ? "" : ", password=" + MASK)
        + ", maxMessageBytes=" + maxMessageBytes + "]";
  }

  /** The parts of the URL, decoded, with the credentials given apart from it in place of the URL's. */
  Endpoint endpoint() {
    Endpoint parsed = Endpoint.parse(url);
    return new Endpoint(parsed.tls(), parsed.host(), parsed.port(), username == null ? parsed.username() : username,
        password == null ? parsed.password() : password, parsed.virtualHost());
  }

  static String mask(String text) {
    return text == null ? null : PASSWORD_IN_URL.matcher(text).replaceAll("$1" + MASK + "@");
  }

  /** The decoded parts of a broker URL; its toString masks the password. */
  record Endpoint(boolean tls, String host, int port, String username, String password, String virtualHost) {

    @Override
    public String toString() {
      return (tls ? "amqps" : "amqp") + "://" + username + ":" + MASK + "@" + host + ":" + port + "/" + virtualHost;
    }

    static Endpoint parse(String url) {
      if (url == null || url.isBlank()) {
        throw invalid("no URL given");
      }
      URI uri;
      try {
        uri = new URI(url.strip());
      } catch (URISyntaxException e) {
        // the library's message repeats the input, password included: say only where it broke
        throw invalid("'" + mask(url) + "' is not a valid URI (" + e.getReason() + " at index " + e.getIndex() + ")");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
        throw invalid("'" + mask(url) + "' has scheme '" + scheme + "', not amqp or amqps");
      }
      boolean tls = scheme.equals("amqps");
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw invalid("'" + mask(url) + "' names no host (or the host is not a valid host name)");
      }
      int port = uri.getPort() == -1 ? (tls ? 5671 : 5672) : uri.getPort();
      if (port < 1 || port > 65535) {
        throw invalid("'" + mask(url) + "' has port " + port + ", outside 1-65535");
      }
      String username = "guest";
      String password = "guest";
      String userInfo = uri.getRawUserInfo();
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      String virtualHost = "/";
      if (path.length() > 1) {
        String segment = path.substring(1);
        if (segment.contains("/")) {
          throw invalid("'" + mask(url) + "' has more than one path segment; encode '/' in the vhost as %2F");
        }
        virtualHost = decode(segment);
      }
      return new Endpoint(tls, uri.getHost(), port, username, password, virtualHost);
    }

    private static String decode(String raw) {
      // URLDecoder is for forms: keep a literal '+' a plus sign, as in a URI
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ConfigurationException invalid(String entry) {
      return new ConfigurationException(URL_VARIABLE, entry, EXPECTED_FORM);
    }
  }
}
