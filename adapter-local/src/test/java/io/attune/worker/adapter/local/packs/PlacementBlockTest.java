package io.attune.worker.adapter.local.packs;

import static io.attune.worker.testsupport.process.Scripts.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Taint;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.placement.requirement.AffinityTerm;
import io.attune.worker.core.model.placement.requirement.MatchExpression;
import io.attune.worker.core.model.placement.requirement.MatchOperator;
import io.attune.worker.core.model.placement.requirement.Toleration;
import io.attune.worker.core.model.placement.requirement.TolerationOperator;
import io.attune.worker.core.model.placement.requirement.WeightedTerm;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code placement:} block of an action file, written in the JSON-like flow style of Attune's shapes: read into
 * the core's placement types, and every wrong value named by file, key path and what was expected.
 */
class PlacementBlockTest {

  @TempDir
  Path packs;

  /** Writes pack {@code p} with the action {@code p.a}: a shell script and the given placement block, if any. */
  private Path writeAction(String placement) {
    write(packs, "p/actions/run.sh", "echo hi\n");
    return write(packs, "p/actions/a.yaml", "runtime: shell\nentry_point: run.sh\n"
        + (placement == null ? "" : "placement: " + placement + "\n"));
  }

  private ActionDefinition read(String placement) {
    writeAction(placement);
    return PacksDirectoryCatalog.load(packs).find("p.a").orElseThrow();
  }

  /** The problem of the action file: it is skipped, not thrown, and the action is not offered. */
  private ConfigurationException rejects(String placement) {
    writeAction(placement);
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);
    assertThat(catalog.find("p.a")).isEmpty();
    assertThat(catalog.problems()).hasSize(1);
    return catalog.problems().get(0).error();
  }

  @Test
  void everyPlacementKeyBecomesTheCoresTypes() {
    ActionDefinition action = read("{'selector': {'gpu': 'nvidia'},"
        + " 'tolerations': [{'key': 'gpu', 'operator': 'equal', 'value': 'true', 'effect': 'no_schedule'},"
        + "                 {'operator': 'exists'}],"
        + " 'affinity': {'required': [{'match_labels': {'zone': 'east'}}],"
        + "              'preferred': [{'weight': 50, 'preference': {'match_expressions':"
        + "                 [{'key': 'disk', 'operator': 'in', 'values': ['ssd', 'nvme']}]}}],"
        + "              'anti_affinity': [{'match_expressions': [{'key': 'spot', 'operator': 'exists'}]}]},"
        + " 'required_runtimes': {'node': '>=18', 'python3': '^3.10'}}");

    assertThat(action.requirements().selector()).isEqualTo(Map.of("gpu", "nvidia"));
    assertThat(action.requirements().tolerations()).containsExactly(
        new Toleration("gpu", TolerationOperator.EQUAL, "true", Optional.of(TaintEffect.NO_SCHEDULE)),
        new Toleration("", TolerationOperator.EXISTS, "", Optional.empty()));
    assertThat(action.requirements().affinity()).isEqualTo(new Affinity(
        List.of(AffinityTerm.labels(Map.of("zone", "east"))),
        List.of(new WeightedTerm(50, new AffinityTerm(Map.of(),
            List.of(new MatchExpression("disk", MatchOperator.IN, List.of("ssd", "nvme")))))),
        List.of(new AffinityTerm(Map.of(), List.of(new MatchExpression("spot", MatchOperator.EXISTS, List.of()))))));
    assertThat(action.requirements().requiredRuntimes()).isEqualTo(Map.of(
        RuntimeName.NODE, VersionConstraint.parse(">=18"), RuntimeName.PYTHON, VersionConstraint.parse("^3.10")));
  }

  @Test
  void tolerationsInKubernetesSpellingBehaveAsWritten() {
    ActionDefinition action = read("{'tolerations': [{'key': 'gpu', 'operator': 'exists', 'effect': 'NoSchedule'}]}");

    Toleration gpu = action.requirements().tolerations().get(0);
    assertThat(gpu.tolerates(new Taint("gpu", "any", TaintEffect.NO_SCHEDULE))).isTrue();
    assertThat(gpu.tolerates(new Taint("gpu", "any", TaintEffect.PREFER_NO_SCHEDULE))).isFalse();
  }

  @Test
  void absentOrEmptyPlacementMeansNoRules() {
    for (String placement : new String[] {null, "null", "{}", "{'affinity': {}}"}) {
      ActionDefinition action = read(placement);

      assertThat(action.requirements().selector()).as(placement).isEmpty();
      assertThat(action.requirements().tolerations()).as(placement).isEmpty();
      assertThat(action.requirements().affinity()).as(placement).isEqualTo(Affinity.none());
      assertThat(action.requirements().requiredRuntimes()).as(placement).isEmpty();
    }
  }

  @Test
  void listOfRequiredRuntimesMeansAnyVersionOfEach() {
    assertThat(read("{'required_runtimes': ['node', 'bash']}").requirements().requiredRuntimes())
        .isEqualTo(Map.of(RuntimeName.NODE, VersionConstraint.any(), RuntimeName.SHELL, VersionConstraint.any()));
  }

  @Test
  void aRuntimeRequiredTwiceThroughAnAliasIsRejectedAsInEveryOtherRequirementsDocument() {
    ConfigurationException error = rejects("{'required_runtimes': {'python': '>=3.8', 'python3': '<4'}}");

    assertThat(error.entry()).isEqualTo("placement.required_runtimes.python3 (line 3)");
    assertThat(error.expected()).startsWith("expected each runtime once; python is named twice");
  }

  @Test
  void errorsNameTheFileTheKeyPathAndWhatWasExpected() {
    Path file = writeAction("{'tolerations': [{'key': 'gpu', 'operator': 'maybe'}]}");

    ConfigurationException error = PacksDirectoryCatalog.load(packs).problemWith(new ActionRef("p", "a"))
        .orElseThrow().error();

    assertThat(error.source()).isEqualTo(file.toString());
    assertThat(error.entry()).isEqualTo("placement.tolerations[0].operator = 'maybe' (line 3)");
    assertThat(error.expected()).isEqualTo("expected equal or exists");
  }

  @Test
  void selectorValueThatIsNotTextIsRejected() {
    ConfigurationException error = rejects("{'selector': {'zone': ['east']}}");

    assertThat(error.entry()).isEqualTo("placement.selector.zone = [east] (line 3)");
    assertThat(error.expected()).isEqualTo("expected a string");
  }

  @Test
  void unquotedNumbersInASelectorCountAsText() {
    assertThat(read("{'selector': {'cores': 8}}").requirements().selector()).isEqualTo(Map.of("cores", "8"));
  }

  @Test
  void weightOutsideOneToHundredIsRejected() {
    ConfigurationException error = rejects(
        "{'affinity': {'preferred': [{'weight': 0, 'preference': {'match_labels': {'a': 'b'}}}]}}");

    assertThat(error.entry()).isEqualTo("placement.affinity.preferred[0].weight = 0 (line 3)");
    assertThat(error.expected()).isEqualTo("expected an integer from 1 to 100");
  }

  @Test
  void preferredTermWithoutPreferenceIsRejected() {
    ConfigurationException error = rejects("{'affinity': {'preferred': [{'weight': 10}]}}");

    assertThat(error.entry()).isEqualTo("placement.affinity.preferred[0].preference (line 3)");
    assertThat(error.expected()).startsWith("is required");
  }

  @Test
  void unknownMatchOperatorIsRejected() {
    ConfigurationException error = rejects(
        "{'affinity': {'required': [{'match_expressions': [{'key': 'zone', 'operator': 'near', 'values': ['x']}]}]}}");

    assertThat(error.entry())
        .isEqualTo("placement.affinity.required[0].match_expressions[0].operator = 'near' (line 3)");
    assertThat(error.expected()).isEqualTo("expected in, not_in, exists or does_not_exist");
  }

  @Test
  void inWithoutValuesIsRejected() {
    ConfigurationException error = rejects(
        "{'affinity': {'anti_affinity': [{'match_expressions': [{'key': 'zone', 'operator': 'in'}]}]}}");

    assertThat(error.entry()).isEqualTo("placement.affinity.anti_affinity[0].match_expressions[0].values (line 3)");
    assertThat(error.expected()).contains("operator in needs at least one value");
  }

  @Test
  void unknownAffinityKeyIsRejected() {
    ConfigurationException error = rejects("{'affinity': {'requried': []}}");

    assertThat(error.entry()).isEqualTo("placement.affinity.requried (line 3)");
    assertThat(error.expected()).startsWith("unknown key").contains("required");
  }

  @Test
  void tolerationsThatAreNotAListAreRejected() {
    ConfigurationException error = rejects("{'tolerations': {'key': 'gpu'}}");

    assertThat(error.entry()).isEqualTo("placement.tolerations = {key=gpu} (line 3)");
    assertThat(error.expected()).isEqualTo("expected a list");
  }

  @Test
  void unknownTaintEffectIsRejected() {
    assertThat(rejects("{'tolerations': [{'key': 'gpu', 'effect': 'never'}]}").entry())
        .isEqualTo("placement.tolerations[0].effect = 'never' (line 3)");
  }

  @Test
  void tolerationWithoutKeyMustUseExists() {
    ConfigurationException error = rejects("{'tolerations': [{'value': 'x'}]}");

    assertThat(error.entry()).isEqualTo("placement.tolerations[0].key (line 3)");
    assertThat(error.expected()).contains("operator is exists");
  }

  @Test
  void constraintThatIsNotUnderstoodIsRejected() {
    ConfigurationException error = rejects("{'required_runtimes': {'node': 'newest'}}");

    assertThat(error.entry()).isEqualTo("placement.required_runtimes.node = 'newest' (line 3)");
    assertThat(error.expected()).contains("version constraint").contains("not understood");
  }

  @Test
  void runtimeNamedTwiceThroughAnAliasIsRejected() {
    ConfigurationException error = rejects("{'required_runtimes': {'python': '*', 'python3': '>=3'}}");

    assertThat(error.entry()).isEqualTo("placement.required_runtimes.python3 (line 3)");
    assertThat(error.expected()).contains("python is named twice");
  }

  @Test
  void runtimeNamedTwiceInAListIsRejected() {
    ConfigurationException error = rejects("{'required_runtimes': ['node', 'nodejs']}");

    assertThat(error.entry()).isEqualTo("placement.required_runtimes[1] (line 3)");
    assertThat(error.expected()).contains("node is named twice");
  }

  @Test
  void invalidRuntimeNameIsRejected() {
    ConfigurationException error = rejects("{'required_runtimes': {'No Such!': '*'}}");

    assertThat(error.entry()).isEqualTo("placement.required_runtimes.No Such! (line 3)");
    assertThat(error.expected()).contains("runtime name");
  }
}
