package io.attune.worker.adapter.cli.packs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.Affinity;
import io.attune.worker.core.model.placement.AffinityTerm;
import io.attune.worker.core.model.placement.MatchExpression;
import io.attune.worker.core.model.placement.MatchOperator;
import io.attune.worker.core.model.placement.Toleration;
import io.attune.worker.core.model.placement.TolerationOperator;
import io.attune.worker.core.model.placement.WeightedTerm;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlacementParserTest {

  private static final String SOURCE = "action.json";
  private final PlacementParser parser = new PlacementParser(SOURCE);

  /** The tree Jackson makes of a JSON text, as the {@code explain} command reads its action file. */
  private static Map<String, Object> json(String text) {
    try {
      return new ObjectMapper().readValue(text.replace('\'', '"'), new TypeReference<Map<String, Object>>() {
      });
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private ConfigurationException rejects(String text) {
    return catchThrowableOfType(ConfigurationException.class, () -> parser.parseWithin("", json(text)));
  }

  @Test
  void placementKeysOfAnActionFileBecomeTheCoresTypesAndOtherKeysAreLeftAlone() {
    PlacementParser.Placement placement = parser.parseWithin("", json("{'ref': 'demo.x', 'runtime': 'python',"
        + " 'selector': {'gpu': 'nvidia'},"
        + " 'tolerations': [{'key': 'gpu', 'operator': 'equal', 'value': 'true', 'effect': 'no_schedule'},"
        + "                 {'operator': 'exists'}],"
        + " 'affinity': {'required': [{'match_labels': {'zone': 'east'}}],"
        + "              'preferred': [{'weight': 50, 'preference': {'match_expressions':"
        + "                 [{'key': 'disk', 'operator': 'in', 'values': ['ssd', 'nvme']}]}}],"
        + "              'anti_affinity': [{'match_expressions': [{'key': 'spot', 'operator': 'exists'}]}]},"
        + " 'required_runtimes': {'node': '>=18', 'python3': '^3.10'}}"));

    assertThat(placement.selector()).isEqualTo(Map.of("gpu", "nvidia"));
    assertThat(placement.tolerations()).containsExactly(
        new Toleration("gpu", TolerationOperator.EQUAL, "true", Optional.of(TaintEffect.NO_SCHEDULE)),
        new Toleration("", TolerationOperator.EXISTS, "", Optional.empty()));
    assertThat(placement.affinity()).isEqualTo(new Affinity(
        List.of(AffinityTerm.labels(Map.of("zone", "east"))),
        List.of(new WeightedTerm(50, new AffinityTerm(Map.of(),
            List.of(new MatchExpression("disk", MatchOperator.IN, List.of("ssd", "nvme")))))),
        List.of(new AffinityTerm(Map.of(), List.of(new MatchExpression("spot", MatchOperator.EXISTS, List.of()))))));
    assertThat(placement.requiredRuntimes()).isEqualTo(Map.of(
        RuntimeName.NODE, VersionConstraint.parse(">=18"), RuntimeName.PYTHON, VersionConstraint.parse("^3.10")));
  }

  @Test
  void parsedTolerationsBehaveAsWritten() {
    PlacementParser.Placement placement = parser.parseWithin("",
        json("{'tolerations': [{'key': 'gpu', 'operator': 'exists', 'effect': 'NoSchedule'}]}"));

    Toleration gpu = placement.tolerations().get(0);
    assertThat(gpu.tolerates(new Taint("gpu", "any", TaintEffect.NO_SCHEDULE))).isTrue();
    assertThat(gpu.tolerates(new Taint("gpu", "any", TaintEffect.PREFER_NO_SCHEDULE))).isFalse();
  }

  @Test
  void absentKeysMeanNoRules() {
    assertThat(parser.parseWithin("", json("{'ref': 'demo.x'}"))).isEqualTo(PlacementParser.Placement.none());
    assertThat(parser.parse("placement", null)).isEqualTo(PlacementParser.Placement.none());
  }

  @Test
  void listOfRequiredRuntimesMeansAnyVersionOfEach() {
    PlacementParser.Placement placement = parser.parseWithin("", json("{'required_runtimes': ['node', 'bash']}"));

    assertThat(placement.requiredRuntimes())
        .isEqualTo(Map.of(RuntimeName.NODE, VersionConstraint.any(), RuntimeName.SHELL, VersionConstraint.any()));
  }

  @Test
  void errorsNameTheSourceTheKeyPathAndWhatWasExpected() {
    ConfigurationException error = rejects("{'tolerations': [{'key': 'gpu', 'operator': 'maybe'}]}");

    assertThat(error.source()).isEqualTo(SOURCE);
    assertThat(error.entry()).isEqualTo("tolerations[0].operator = 'maybe'");
    assertThat(error.expected()).isEqualTo("expected equal or exists");
  }

  @Test
  void pathPrefixIsPartOfTheKeyPath() {
    ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
        () -> parser.parse("placement", json("{'selector': {'zone': ['east']}}")));

    assertThat(error.entry()).isEqualTo("placement.selector.zone = [east]");
    assertThat(error.expected()).isEqualTo("expected a label value (text)");
  }

  @Test
  void weightOutsideOneToHundredIsRejected() {
    ConfigurationException error = rejects(
        "{'affinity': {'preferred': [{'weight': 0, 'preference': {'match_labels': {'a': 'b'}}}]}}");

    assertThat(error.entry()).isEqualTo("affinity.preferred[0].weight = 0");
    assertThat(error.expected()).isEqualTo("expected a whole number from 1 to 100");
  }

  @Test
  void preferredTermWithoutPreferenceIsRejected() {
    assertThat(rejects("{'affinity': {'preferred': [{'weight': 10}]}}").entry())
        .isEqualTo("affinity.preferred[0].preference is missing");
  }

  @Test
  void unknownMatchOperatorIsRejected() {
    ConfigurationException error = rejects(
        "{'affinity': {'required': [{'match_expressions': [{'key': 'zone', 'operator': 'near', 'values': ['x']}]}]}}");

    assertThat(error.entry()).isEqualTo("affinity.required[0].match_expressions[0].operator = 'near'");
    assertThat(error.expected()).isEqualTo("expected in, not_in, exists or does_not_exist");
  }

  @Test
  void inWithoutValuesIsRejected() {
    ConfigurationException error = rejects(
        "{'affinity': {'anti_affinity': [{'match_expressions': [{'key': 'zone', 'operator': 'in'}]}]}}");

    assertThat(error.entry()).isEqualTo("affinity.anti_affinity[0].match_expressions[0].values = null");
    assertThat(error.expected()).isEqualTo("expected at least one value for operator in");
  }

  @Test
  void unknownAffinityKeyIsRejected() {
    assertThat(rejects("{'affinity': {'requried': []}}").entry()).isEqualTo("affinity.requried (unknown key)");
  }

  @Test
  void tolerationsThatAreNotAListAreRejected() {
    ConfigurationException error = rejects("{'tolerations': {'key': 'gpu'}}");

    assertThat(error.entry()).isEqualTo("tolerations = {key=gpu}");
    assertThat(error.expected()).isEqualTo("expected a list");
  }

  @Test
  void unknownTaintEffectIsRejected() {
    assertThat(rejects("{'tolerations': [{'key': 'gpu', 'effect': 'never'}]}").entry())
        .isEqualTo("tolerations[0].effect = 'never'");
  }

  @Test
  void tolerationWithoutKeyMustUseExists() {
    ConfigurationException error = rejects("{'tolerations': [{'value': 'x'}]}");

    assertThat(error.entry()).startsWith("tolerations[0] = ");
    assertThat(error.expected()).contains("operator exists");
  }

  @Test
  void constraintThatIsNotUnderstoodIsRejected() {
    ConfigurationException error = rejects("{'required_runtimes': {'node': 'newest'}}");

    assertThat(error.entry()).isEqualTo("required_runtimes.node = 'newest'");
    assertThat(error.expected()).startsWith("expected a version constraint");
  }

  @Test
  void runtimeNamedTwiceThroughAnAliasIsRejected() {
    assertThat(rejects("{'required_runtimes': {'python': '*', 'python3': '>=3'}}").expected())
        .contains("python is named twice");
  }

  @Test
  void invalidRuntimeNameIsRejected() {
    assertThat(rejects("{'required_runtimes': {'No Such!': '*'}}").entry())
        .isEqualTo("required_runtimes.No Such! = 'No Such!'");
  }
}
