package io.attune.worker.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {

  @Test
  void the_embedding_example_runs_the_action_to_success_on_the_embedded_worker() throws Exception {
    Execution ended = EmbeddingExample.greetAda();

    assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ended.attempt()).isEqualTo(1);
    assertThat(ended.worker()).isPresent();
    assertThat(ended.parameters()).isEqualTo(Map.of("name", "Ada"));
    assertThat(ended.result().flatMap(ExecutionResult::structured)).contains(Map.of("greeting", "Hello, Ada!"));
  }
}
