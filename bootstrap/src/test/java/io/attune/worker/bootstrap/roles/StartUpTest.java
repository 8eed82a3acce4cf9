package io.attune.worker.bootstrap.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartUpTest {

  @Test
  void a_failed_start_up_closes_what_it_opened_newest_first_and_keeps_close_failures_as_suppressed() {
    List<String> closed = new ArrayList<>();
    StartUp startUp = new StartUp();
    startUp.opened(() -> closed.add("database"));
    startUp.opened(() -> {
      closed.add("broker");
      throw new IllegalStateException("broker already gone");
    });
    startUp.opened(() -> closed.add("heartbeat"));
    RuntimeException failure = new IllegalArgumentException("consume failed");

    RuntimeException rethrown = startUp.failed(failure);

    assertThat(rethrown).isSameAs(failure);
    assertThat(closed).containsExactly("heartbeat", "broker", "database");
    assertThat(rethrown.getSuppressed()).singleElement().extracting(Throwable::getMessage)
        .isEqualTo("broker already gone");
  }

  @Test
  void what_is_opened_is_handed_back_unchanged() {
    StartUp startUp = new StartUp();
    AutoCloseable resource = () -> { };

    assertThat(startUp.opened(resource)).isSameAs(resource);
  }
}
