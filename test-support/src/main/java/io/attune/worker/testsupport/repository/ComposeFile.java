package io.attune.worker.testsupport.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's {@code docker-compose.yaml}, read as docker compose reads it, for tests that check
 * or imitate the deployment (the contract test, the compose-equivalent smoke test).
 *
 * <p>Values keep their {@code ${VAR:-default}} text; {@link #interpolate} resolves them the way compose does.
 */
public final class ComposeFile {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern VARIABLE = Pattern.compile(
      "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private final Path path;
  private final String text;
  private final JsonNode root;

  private ComposeFile(Path path, String text, JsonNode root) {
    this.path = path;
    this.text = text;
    this.root = root;
  }

  /** Reads {@code docker-compose.yaml} at the root of the repository that contains the working directory. */
  public static ComposeFile load() {
    return load(RepositoryFiles.root().resolve("docker-compose.yaml"));
  }

  /** Reads a compose file. */
  public static ComposeFile load(Path path) {
    String text = RepositoryFiles.read(path);
    return parse(path, text);
  }

  /** Parses compose text that did not come from a file (tests that plant a mistake use it). */
  public static ComposeFile parse(Path path, String text) {
    try {
      JsonNode root = YAML.readTree(text);
      if (root == null || !root.path("services").isObject()) {
        throw new IllegalArgumentException(path + ": expected a compose file with a 'services' mapping");
      }
      return new ComposeFile(path, text, root);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": not valid YAML", e);
    }
  }

  public Path path() {
    return path;
  }

  /** The file as written. */
  public String text() {
    return text;
  }

  /** Service names in file order. */
  public List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    root.path("services").properties().forEach(e -> names.add(e.getKey()));
    return names;
  }

  /** Every service, in file order. */
  public List<Service> services() {
    return serviceNames().stream().map(this::service).toList();
  }

  /** One service; fails naming the services that exist when there is no such one. */
  public Service service(String name) {
    JsonNode node = root.path("services").path(name);
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + ": no service '" + name + "'; services are " + serviceNames());
    }
    return new Service(name, node);
  }

  /** Names of the top-level named volumes. */
  public List<String> volumeNames() {
    List<String> names = new ArrayList<>();
    root.path("volumes").properties().forEach(e -> names.add(e.getKey()));
    return names;
  }

  /**
   * Resolves {@code $$}, {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}},
   * {@code ${VAR:+alternative}}, {@code ${VAR:?error}} against the given environment, as compose does
   * with the shell's environment and the {@code .env} file.
   */
  public static String interpolate(String value, Map<String, String> environment) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else if (m.group(4) != null) {
        replacement = environment.getOrDefault(m.group(4), "");
      } else {
        String name = m.group(1);
        String operator = m.group(2);
        String argument = m.group(3);
        String set = environment.get(name);
        boolean present = set != null;
        boolean nonEmpty = present && !set.isEmpty();
        if (operator == null) {
          replacement = present ? set : "";
        } else {
          replacement = switch (operator) {
            case ":-" -> nonEmpty ? set : argument;
            case "-" -> present ? set : argument;
            case ":+" -> nonEmpty ? argument : "";
            case "+" -> present ? argument : "";
            case ":?", "?" -> {
              if (operator.equals(":?") ? !nonEmpty : !present) {
                throw new IllegalArgumentException("${" + name + "} is required: " + argument);
              }
              yield set;
            }
            default -> throw new IllegalStateException("operator " + operator);
          };
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The default a value falls back to when its variables are unset: interpolation with an empty environment. */
  public static String withDefaults(String value) {
    return interpolate(value, Map.of());
  }

  /** One service of the compose file. */
  public static final class Service {
    private final String name;
    private final JsonNode node;

    Service(String name, JsonNode node) {
      this.name = name;
      this.node = node;
    }

    public String name() {
      return name;
    }

    /** The raw YAML of the service, for checks this class has no accessor for. */
    public JsonNode node() {
      return node;
    }

    public Optional<String> image() {
      return text(node.path("image"));
    }

    /** {@code build.target}, when the service builds an image. */
    public Optional<String> buildTarget() {
      return text(node.path("build").path("target"));
    }

    /** {@code build.dockerfile}, when the service builds an image. */
    public Optional<String> buildDockerfile() {
      return text(node.path("build").path("dockerfile"));
    }

    public boolean has(String key) {
      return node.has(key);
    }

    /** The environment as written (values un-interpolated), in either of compose's two forms. */
    public Map<String, String> environment() {
      JsonNode env = node.path("environment");
      Map<String, String> result = new LinkedHashMap<>();
      if (env.isObject()) {
        env.properties().forEach(e -> result.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
      } else if (env.isArray()) {
        for (JsonNode entry : env) {
          String s = entry.asText();
          int eq = s.indexOf('=');
          result.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
      }
      return Collections.unmodifiableMap(result);
    }

    /** The environment a container of this service gets, interpolated against the given shell environment. */
    public Map<String, String> environment(Map<String, String> shellEnvironment) {
      Map<String, String> result = new LinkedHashMap<>();
      environment().forEach((k, v) -> result.put(k, interpolate(v, shellEnvironment)));
      return Collections.unmodifiableMap(result);
    }

    /** {@code depends_on} as service name to condition; the short list form has no condition (empty string). */
    public Map<String, String> dependsOn() {
      JsonNode deps = node.path("depends_on");
      Map<String, String> result = new LinkedHashMap<>();
      if (deps.isObject()) {
        deps.properties().forEach(e -> result.put(e.getKey(), e.getValue().path("condition").asText("")));
      } else if (deps.isArray()) {
        deps.forEach(d -> result.put(d.asText(), ""));
      }
      return Collections.unmodifiableMap(result);
    }

    /** Volumes and bind mounts, from either the short ({@code src:dst:ro}) or the long syntax. */
    public List<Mount> mounts() {
      List<Mount> mounts = new ArrayList<>();
      for (JsonNode v : node.path("volumes")) {
        if (v.isTextual()) {
          String[] parts = v.asText().split(":");
          String source = parts.length > 1 ? parts[0] : "";
          String target = parts.length > 1 ? parts[1] : parts[0];
          String options = parts.length > 2 ? parts[2] : "";
          mounts.add(new Mount(source, target, List.of(options.split(",")).contains("ro")));
        } else {
          mounts.add(new Mount(v.path("source").asText(""), v.path("target").asText(""),
              v.path("read_only").asBoolean(false)));
        }
      }
      return mounts;
    }

    /** The exec-form {@code command}, or empty when the service keeps the image's. */
    public List<String> command() {
      return strings(node.path("command"));
    }

    /** The exec-form {@code entrypoint}, or empty when the service keeps the image's. */
    public List<String> entrypoint() {
      return strings(node.path("entrypoint"));
    }

    /** True when the service turns the image's health check off. */
    public boolean healthcheckDisabled() {
      return node.path("healthcheck").path("disable").asBoolean(false);
    }

    private static Optional<String> text(JsonNode n) {
      return n.isValueNode() ? Optional.of(n.asText()) : Optional.empty();
    }

    private static List<String> strings(JsonNode n) {
      if (n.isArray()) {
        List<String> result = new ArrayList<>();
        n.forEach(e -> result.add(e.asText()));
        return result;
      }
      return n.isTextual() ? List.of(n.asText().split("\\s+")) : List.of();
    }

    @Override
    public String toString() {
      return "service " + name;
    }
  }

  /** A volume or bind mount of a service: source is a named volume, a host path, or empty. */
  public record Mount(String source, String target, boolean readOnly) {
    public Mount {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(target, "target");
    }

    /** A host folder (./packs), as opposed to a named volume. */
    public boolean isBind() {
      return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
    }
  }
}
