package io.attune.worker.adapter.http.in;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.attune.worker.core.model.health.Readiness;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The three endpoints: which path answers what, with which status and content type. */
final class Endpoints {

  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String JSON = "application/json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Supplier<String> scrape;
  private final Supplier<Readiness> readiness;

  Endpoints(Supplier<String> scrape, Supplier<Readiness> readiness) {
    this.scrape = scrape;
    this.readiness = readiness;
  }

  /** The answer to one request, as a value: status, content type, body. */
  record Answer(int status, String contentType, String body) {
  }

  /** What the endpoint at {@code path} answers to {@code method}. */
  Answer answer(String method, String path) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return new Answer(405, JSON, json(Map.of("error", "method " + method + " not allowed: expected GET")));
    }
    return switch (path) {
      case "/metrics" -> new Answer(200, PROMETHEUS_TEXT, scrape.get());
      case "/healthz" -> new Answer(200, JSON, json(Map.of("status", "alive")));
      case "/readyz" -> readinessAnswer(readiness.get());
      default -> new Answer(404, JSON, json(Map.of("error", "no endpoint " + path
          + ": expected /metrics, /healthz or /readyz")));
    };
  }

  private static Answer readinessAnswer(Readiness readiness) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ready", readiness.ready());
    body.put("reasons", readiness.reasons());
    return new Answer(readiness.ready() ? 200 : 503, JSON, json(body));
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Answer answer;
      try {
        answer = answer(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
      } catch (RuntimeException failed) {
        LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            failed.toString());
        answer = new Answer(500, JSON, json(Map.of("error", String.valueOf(failed.getMessage()))));
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(answer.status(), head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException impossible) {
      throw new UncheckedIOException(impossible);
    }
  }
}
