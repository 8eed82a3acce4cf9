package io.attune.worker.bootstrap.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A scrape of {@code /metrics}, parsed by the Prometheus client's own parser of the text format (Debian's
 * {@code python3-prometheus-client}, which {@code scripts/test-services.sh} installs): the samples a Prometheus
 * server would read.
 */
record Exposition(List<Sample> samples) {

  private static final Path PARSER = Path.of("src/test/resources/prometheus/parse_exposition.py");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One sample: the family it belongs to (with its type), its own name, labels and value (null for NaN). */
  record Sample(String family, String type, String name, Map<String, String> labels, Double value) {
  }

  /** GETs {@code http://127.0.0.1:port/metrics} and parses it; a response that is not 200 fails the test. */
  static Exposition scrape(int port) {
    HttpResponse<String> response = get(port, "/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError("/metrics on port " + port + " answered " + response.statusCode());
    }
    return parse(response.body());
  }

  /** GETs a path of the process's HTTP port. */
  static HttpResponse<String> get(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The text through the parser; a text it refuses fails the test with the parser's message. */
  static Exposition parse(String text) {
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    try {
      Process parser = new ProcessBuilder(python, PARSER.toString()).start();
      parser.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      parser.getOutputStream().close();
      byte[] out = parser.getInputStream().readAllBytes();
      String err = new String(parser.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!parser.waitFor(60, TimeUnit.SECONDS) || parser.exitValue() != 0) {
        throw new AssertionError("the Prometheus parser refused the exposition (" + err.strip() + "); is "
            + "python3-prometheus-client installed? scripts/test-services.sh installs it. The exposition:\n" + text);
      }
      return new Exposition(JSON.readValue(out, new TypeReference<List<Sample>>() { }));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The samples named {@code name} whose labels include {@code labels}. */
  List<Sample> find(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  /** The value of the one sample with exactly these labels; empty when there is none. */
  Optional<Double> value(String name, Map<String, String> labels) {
    List<Sample> exact = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
    if (exact.size() > 1) {
      throw new AssertionError("two samples " + name + labels + ": " + exact);
    }
    return exact.stream().findFirst().map(Sample::value);
  }

  /** The type of the family that has a sample named {@code sampleName}. */
  Optional<String> typeOf(String sampleName) {
    return samples.stream().filter(s -> s.name().equals(sampleName)).map(Sample::type).findFirst();
  }
}
