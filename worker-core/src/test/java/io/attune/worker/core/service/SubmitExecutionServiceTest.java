package io.attune.worker.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.adapter.out.memory.InMemoryActionCatalog;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.action.ParameterType;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.testkit.MutableClock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubmitExecutionServiceTest {

  private static final ActionDefinition GREET = new ActionDefinition(new ActionRequirements(
      ActionRef.parse("demo.greet"), RuntimeName.PYTHON, VersionConstraint.parse(">=3.8"), Map.of(),
      Map.of("zone", "east"), List.of(), Affinity.none()), "greet.py", ActionDefinition.DEFAULT_TIMEOUT, parameters(
          new ParameterSpec("name", ParameterType.STRING, true, null),
          new ParameterSpec("times", ParameterType.INTEGER, false, 1),
          new ParameterSpec("loud", ParameterType.BOOLEAN, false, null)));
  private static final ActionDefinition PING = ActionDefinition.simple("net.ping", RuntimeName.SHELL, "ping.sh");
  private static final ActionDefinition DRAW = new ActionDefinition(ActionRequirements.of(ActionRef.parse(
      "demo.draw"), RuntimeName.PYTHON), "draw.py", ActionDefinition.DEFAULT_TIMEOUT, parameters(
          new ParameterSpec("title", ParameterType.STRING, true, null),
          new ParameterSpec("config", ParameterType.OBJECT, false, null)));

  private final MutableClock clock = MutableClock.atDefault();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore(new InMemoryWorkerRegistry());
  private final SubmitExecutionService service = new SubmitExecutionService(new InMemoryActionCatalog(List.of(PING,
      GREET)),
      store, clock, ParameterCap.NONE, ExecutionEvents.NONE);
  private final InMemoryExecutionStore drawings = new InMemoryExecutionStore(new InMemoryWorkerRegistry());
  private final SubmitExecutionService drawService = new SubmitExecutionService(
      new InMemoryActionCatalog(List.of(DRAW)), drawings, clock, ParameterCap.NONE, ExecutionEvents.NONE);

  private static Map<String, ParameterSpec> parameters(ParameterSpec... specs) {
    Map<String, ParameterSpec> map = new LinkedHashMap<>();
    for (ParameterSpec spec : specs) {
      map.put(spec.name(), spec);
    }
    return map;
  }

  @Test
  void a_valid_request_becomes_a_requested_execution_with_defaults_filled_in() {
    Submission submission = service.submit("demo.greet", Map.of("name", "Ada"));

    assertThat(submission).isInstanceOfSatisfying(Submission.Accepted.class, accepted -> {
      var execution = accepted.execution();
      assertThat(execution.status()).isEqualTo(ExecutionStatus.REQUESTED);
      assertThat(execution.actionRef()).isEqualTo(new ActionRef("demo", "greet"));
      assertThat(execution.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("name", "Ada", "times", 1));
      assertThat(execution.requirements()).isEqualTo(GREET.requirements());
      assertThat(execution.requestedAt()).isEqualTo(clock.instant());
      assertThat(store.find(execution.id())).isPresent();
    });
  }

  @Test
  void an_unknown_action_is_refused_with_the_known_ones_sorted() {
    Submission submission = service.submit("demo.nope", Map.of());

    assertThat(submission).isInstanceOfSatisfying(Submission.UnknownAction.class, unknown -> {
      assertThat(unknown.actionRef()).isEqualTo("demo.nope");
      assertThat(unknown.known()).containsExactly("demo.greet", "net.ping");
    });
    assertThat(store.waiting()).isEmpty();
  }

  @Test
  void a_text_that_is_no_reference_is_an_unknown_action_not_a_failure() {
    Submission submission = service.submit("greet", Map.of());

    assertThat(submission).isInstanceOfSatisfying(Submission.UnknownAction.class, unknown -> {
      assertThat(unknown.actionRef()).isEqualTo("greet");
      assertThat(unknown.known()).containsExactly("demo.greet", "net.ping");
    });
  }

  @Test
  void every_parameter_problem_is_reported_and_nothing_is_created() {
    Submission submission = service.submit("demo.greet", Map.of("times", "three", "colour", "blue", "loud", 1));

    assertThat(submission).isInstanceOfSatisfying(Submission.InvalidParameters.class, invalid -> {
      assertThat(invalid.actionRef()).isEqualTo("demo.greet");
      assertThat(invalid.problems()).containsExactlyInAnyOrder(
          "parameter 'colour' is not declared by demo.greet (declared: name, times, loud)",
          "parameter 'name' is required: expected a string",
          "parameter 'times' must be an integer, got string three",
          "parameter 'loud' must be a boolean, got number 1");
    });
    assertThat(store.waiting()).isEmpty();
  }

  @Test
  void an_action_without_parameters_refuses_any() {
    Submission submission = service.submit("net.ping", Map.of("host", "example.org"));

    assertThat(submission).isInstanceOfSatisfying(Submission.InvalidParameters.class, invalid ->
        assertThat(invalid.problems()).containsExactly("parameter 'host' is not declared by net.ping (it takes none)"));
  }

  @Test
  void a_whole_number_given_as_a_decimal_is_an_integer() {
    assertThat(service.submit("demo.greet", Map.of("name", "Ada", "times", 3.0)))
        .isInstanceOf(Submission.Accepted.class);
    assertThat(service.submit("demo.greet", Map.of("name", "Ada", "times", 3.5)))
        .isInstanceOf(Submission.InvalidParameters.class);
  }

  @Test
  void a_nul_character_anywhere_in_the_parameters_is_refused_naming_its_path_and_nothing_is_stored() {
    Submission submission = drawService.submit("demo.draw", Map.of(
        "title", "a\0b",
        "config", Map.of("items", List.of("x", "y", "z\0"), "ke\0y", 1)));

    assertThat(submission).isInstanceOfSatisfying(Submission.InvalidParameters.class, invalid ->
        assertThat(invalid.problems()).containsExactlyInAnyOrder(
            "parameter 'title' holds a NUL character (U+0000), which cannot be stored: remove it, or encode binary "
                + "data (e.g. as base64)",
            "parameter 'config.items[2]' holds a NUL character (U+0000), which cannot be stored: remove it, or "
                + "encode binary data (e.g. as base64)",
            "parameter 'config.ke\\u0000y' holds a NUL character (U+0000), which cannot be stored: remove it, or "
                + "encode binary data (e.g. as base64)"));
    assertThat(drawings.waiting()).isEmpty();
  }

  @Test
  void a_parameter_name_holding_nul_is_refused_without_printing_the_character() {
    Submission submission = service.submit("demo.greet", Map.of("name", "Ada", "na\0me", "x"));

    assertThat(submission).isInstanceOfSatisfying(Submission.InvalidParameters.class, invalid -> {
      assertThat(invalid.problems()).contains("parameter 'na\\u0000me' holds a NUL character (U+0000), which "
          + "cannot be stored: remove it, or encode binary data (e.g. as base64)");
      assertThat(String.join("; ", invalid.problems())).doesNotContain("\0");
    });
  }
}
