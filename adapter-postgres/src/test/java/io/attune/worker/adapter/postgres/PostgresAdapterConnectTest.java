package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.error.InfrastructureException;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PostgresAdapterConnectTest {

  @Test
  void an_unreachable_database_is_an_infrastructure_error_naming_where_but_not_the_password() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    PostgresSettings settings = new PostgresSettings("jdbc:postgresql://127.0.0.1:" + port + "/attune",
        "attune", "do-not-print-me", 1);

    assertThatThrownBy(() -> PostgresAdapter.connect(settings))
        .isInstanceOfSatisfying(InfrastructureException.class, e -> {
          assertThat(e.operation()).isEqualTo("connect to PostgreSQL");
          assertThat(e.getMessage()).contains("127.0.0.1:" + port + "/attune", "as user attune");
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("do-not-print-me");
          }
        });
  }
}
