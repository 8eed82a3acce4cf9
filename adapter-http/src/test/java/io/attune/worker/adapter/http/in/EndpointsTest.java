package io.attune.worker.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.adapter.http.out.Metrics;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.model.health.Readiness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoints over real HTTP on a free port of the loopback interface. */
class EndpointsTest {

  private final Metrics metrics = Metrics.create();
  private final AtomicReference<Readiness> readiness = new AtomicReference<>(new Readiness(List.of()));
  private final OperationsServer server = OperationsServer.start(0, metrics::scrape, readiness::get);
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metrics_answer_in_the_prometheus_text_format() throws Exception {
    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge");
  }

  @Test
  void healthz_says_alive() throws Exception {
    HttpResponse<String> response = get("/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"status\":\"alive\"}");
  }

  @Test
  void readyz_is_200_when_ready_and_503_with_every_reason_when_not() throws Exception {
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").body()).isEqualTo("{\"ready\":true,\"reasons\":[]}");

    readiness.set(new Readiness(List.of("the last heartbeat failed: \"refused\"", "not connected to RabbitMQ")));
    HttpResponse<String> notReady = get("/readyz");

    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(notReady.body()).isEqualTo("{\"ready\":false,\"reasons\":[\"the last heartbeat failed: \\\"refused\\\"\","
        + "\"not connected to RabbitMQ\"]}");
  }

  @Test
  void other_paths_are_404_and_other_methods_405() throws Exception {
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
    assertThat(get("/nothing").body()).contains("expected /metrics, /healthz or /readyz");
    assertThat(send("POST", "/readyz").statusCode()).isEqualTo(405);
    assertThat(send("HEAD", "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void a_port_in_use_is_refused_with_its_number() {
    assertThatThrownBy(() -> OperationsServer.start(server.port(), metrics::scrape, readiness::get))
        .isInstanceOf(InfrastructureException.class).hasMessageContaining("port " + server.port());
  }
}
