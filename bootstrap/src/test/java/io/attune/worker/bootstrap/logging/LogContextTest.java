package io.attune.worker.bootstrap.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void an_execution_is_named_until_the_scope_closes_and_what_the_thread_had_comes_back() {
    MDC.put(LogContext.EXECUTION_ID, "7");

    try (LogContext.Scope named = LogContext.execution(56L)) {
      assertThat(MDC.get(LogContext.EXECUTION_ID)).isEqualTo("56");
    }

    assertThat(MDC.get(LogContext.EXECUTION_ID)).isEqualTo("7");
  }

  @Test
  void a_worker_named_on_a_thread_without_one_is_removed_again() {
    try (LogContext.Scope named = LogContext.worker("w-1")) {
      assertThat(MDC.get(LogContext.WORKER)).isEqualTo("w-1");
    }

    assertThat(MDC.get(LogContext.WORKER)).isNull();
  }

  @Test
  void a_carried_task_runs_with_the_context_of_the_thread_that_made_it() throws Exception {
    MDC.put(LogContext.WORKER, "w-2");
    String[] seen = new String[1];
    Runnable task = LogContext.carried(() -> seen[0] = MDC.get(LogContext.WORKER));
    MDC.clear();

    Thread other = new Thread(task);
    other.start();
    other.join();

    assertThat(seen[0]).isEqualTo("w-2");
  }
}
