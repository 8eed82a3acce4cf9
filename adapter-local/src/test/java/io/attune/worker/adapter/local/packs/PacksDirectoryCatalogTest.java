package io.attune.worker.adapter.local.packs;

import static io.attune.worker.testsupport.process.Scripts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.action.ParameterType;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.TaintEffect;
import io.attune.worker.core.model.placement.requirement.AffinityTerm;
import io.attune.worker.core.model.placement.requirement.MatchExpression;
import io.attune.worker.core.model.placement.requirement.MatchOperator;
import io.attune.worker.core.model.placement.requirement.Toleration;
import io.attune.worker.core.model.placement.requirement.TolerationOperator;
import io.attune.worker.core.model.placement.requirement.WeightedTerm;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.runtime.VersionConstraint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacksDirectoryCatalogTest {

  /** The sample packs at the root of the repository; surefire runs in the module's folder. */
  static final Path REPOSITORY_PACKS = Path.of("..", "packs");

  @TempDir
  Path root;

  private Path packs;
  private Path actions;

  @BeforeEach
  void layOutPack() {
    packs = root.resolve("packs");
    actions = packs.resolve("p").resolve("actions");
    write(actions, "run.sh", "echo hi\n");
  }

  /** The one problem of the load: the broken file is skipped, not thrown. */
  private ConfigurationException loadFails() {
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);
    assertThat(catalog.problems()).hasSize(1);
    return catalog.problems().get(0).error();
  }

  @Test
  void samplePacksOfTheRepositoryLoad() {
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(REPOSITORY_PACKS);

    assertThat(catalog.all()).extracting(a -> a.ref().toString()).contains("demo.hello_shell", "demo.hello_python",
        "demo.hello_node", "demo.native_uname", "demo.python_modern", "demo.zone_east", "demo.fail", "demo.slow")
        .isSorted();
    assertThat(catalog.all()).extracting(ActionDefinition::runtime)
        .contains(RuntimeName.SHELL, RuntimeName.PYTHON, RuntimeName.NODE, RuntimeName.NATIVE);
    ActionDefinition modern = catalog.find("demo.python_modern").orElseThrow();
    assertThat(modern.requirements().runtimeVersion().isSatisfiedBy(new Version(3, 8, 0))).isTrue();
    assertThat(modern.requirements().runtimeVersion().isSatisfiedBy(new Version(3, 7, 9))).isFalse();
    assertThat(catalog.find("demo.slow").orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(2));
    ActionDefinition east = catalog.find("demo.zone_east").orElseThrow();
    assertThat(east.requirements().selector()).containsEntry("zone", "east");
    assertThat(east.requirements().affinity().preferenceScore(Map.of("disk", "ssd"))).isEqualTo(50);
    assertThat(catalog.find("demo.nothing")).isEmpty();
  }

  @Test
  void everyKeyOfAnActionFileIsRead() {
    write(actions, "full.yaml", String.join("\n",
        "description: all keys",
        "runtime: Python3",
        "entry_point: run.sh",
        "runtime_version: '>=3.8,<4'",
        "timeout_seconds: 60",
        "parameters:",
        "  name: {type: string, required: true}",
        "  count: {type: integer, default: 3}",
        "  options: {type: object}",
        "placement:",
        "  selector: {gpu: nvidia, cores: 8}",
        "  tolerations:",
        "    - {key: gpu, operator: exists, effect: no_schedule}",
        "  affinity:",
        "    required:",
        "      - match_expressions: [{key: zone, operator: in, values: [east, west]}]",
        "    preferred:",
        "      - {weight: 30, preference: {match_labels: {disk: ssd}}}",
        "    anti_affinity:",
        "      - match_labels: {tier: batch}",
        "  required_runtimes: {node: '>=18', shell: null}",
        ""));

    ActionDefinition action = PacksDirectoryCatalog.load(packs).find("p.full").orElseThrow();

    assertThat(action.runtime()).isEqualTo(RuntimeName.PYTHON);
    assertThat(action.entryPoint()).isEqualTo("run.sh");
    assertThat(action.requirements().runtimeVersion()).isEqualTo(VersionConstraint.parse(">=3.8,<4"));
    assertThat(action.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(action.parameters()).containsExactly(
        Map.entry("name", new ParameterSpec("name", ParameterType.STRING, true, null)),
        Map.entry("count", new ParameterSpec("count", ParameterType.INTEGER, false, 3)),
        Map.entry("options", new ParameterSpec("options", ParameterType.OBJECT, false, null)));
    assertThat(action.requirements().selector()).isEqualTo(Map.of("gpu", "nvidia", "cores", "8"));
    assertThat(action.requirements().tolerations()).containsExactly(
        new Toleration("gpu", TolerationOperator.EXISTS, "", Optional.of(TaintEffect.NO_SCHEDULE)));
    assertThat(action.requirements().affinity().required()).containsExactly(new AffinityTerm(Map.of(),
        List.of(new MatchExpression("zone", MatchOperator.IN, List.of("east", "west")))));
    assertThat(action.requirements().affinity().preferred()).containsExactly(
        new WeightedTerm(30, AffinityTerm.labels(Map.of("disk", "ssd"))));
    assertThat(action.requirements().affinity().antiAffinity())
        .containsExactly(AffinityTerm.labels(Map.of("tier", "batch")));
    assertThat(action.requirements().requiredRuntimes()).isEqualTo(Map.of(
        RuntimeName.NODE, VersionConstraint.parse(">=18"), RuntimeName.SHELL, VersionConstraint.any()));
  }

  @Test
  void minimalActionGetsDefaultsAndYmlFilesCount() {
    write(actions, "small.yml", "runtime: sh\nentry_point: run.sh\n");

    ActionDefinition action = PacksDirectoryCatalog.load(packs).find("p.small").orElseThrow();

    assertThat(action.runtime()).isEqualTo(RuntimeName.SHELL);
    assertThat(action.timeout()).isEqualTo(ActionDefinition.DEFAULT_TIMEOUT);
    assertThat(action.requirements().runtimeVersion().isAny()).isTrue();
    assertThat(action.parameters()).isEmpty();
    assertThat(action.requirements().selector()).isEmpty();
  }

  @Test
  void customRuntimeNameIsKeptAsWrittenLowercased() {
    write(actions, "train.yaml", "runtime: ML\nentry_point: run.sh\n");

    assertThat(PacksDirectoryCatalog.load(packs).find("p.train").orElseThrow().runtime())
        .isEqualTo(new RuntimeName("ml"));
  }

  @Test
  void foldersWithoutActionsAndOtherFilesAreSkipped() {
    write(packs, "docs/readme.md", "not a pack\n");
    write(packs, ".hidden/actions/x.yaml", "not: read\n");
    write(actions, "notes.txt", "not an action\n");
    write(actions, "ok.yaml", "runtime: shell\nentry_point: run.sh\n");

    assertThat(PacksDirectoryCatalog.load(packs).all()).extracting(a -> a.ref().toString()).containsExactly("p.ok");
  }

  @Test
  void missingPacksDirectoryIsAConfigurationError() {
    Path missing = root.resolve("no-packs-here");

    ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
        () -> PacksDirectoryCatalog.load(missing));

    assertThat(error.source()).isEqualTo(missing.toString());
    assertThat(error.expected()).contains("does not exist");
  }

  @Test
  void malformedYamlNamesTheFileAndTheLine() {
    Path file = write(actions, "bad.yaml", "runtime: shell\nentry_point: run.sh\nparameters: {name: [unclosed\n");

    ConfigurationException error = loadFails();

    assertThat(error.source()).isEqualTo(file.toString());
    assertThat(error.entry()).startsWith("line ");
    assertThat(error.expected()).startsWith("expected valid YAML");
  }

  @Test
  void duplicateKeyIsAnErrorWithItsLine() {
    write(actions, "twice.yaml", "runtime: shell\nentry_point: run.sh\nruntime: python\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("line 3, column 8");
    assertThat(error.expected()).contains("runtime");
  }

  @Test
  void invalidRuntimeNameIsAnErrorNamingTheKey() {
    Path file = write(actions, "odd.yaml", "runtime: 'py thon!'\nentry_point: run.sh\n");

    ConfigurationException error = loadFails();

    assertThat(error.source()).isEqualTo(file.toString());
    assertThat(error.entry()).isEqualTo("runtime = 'py thon!' (line 1)");
    assertThat(error.expected()).contains("runtime name");
  }

  @Test
  void missingRuntimeIsAnErrorNamingTheKey() {
    write(actions, "none.yaml", "entry_point: run.sh\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("runtime");
    assertThat(error.expected()).startsWith("is required");
  }

  @Test
  void timeoutThatIsNotAWholeNumberIsAnError() {
    write(actions, "soon.yaml", "runtime: shell\nentry_point: run.sh\ntimeout_seconds: soon\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("timeout_seconds = 'soon' (line 3)");
    assertThat(error.expected()).isEqualTo("expected an integer");
  }

  @Test
  void timeoutBelowOneSecondIsAnError() {
    write(actions, "now.yaml", "runtime: shell\nentry_point: run.sh\ntimeout_seconds: 0\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("timeout_seconds = 0 (line 3)");
    assertThat(error.expected()).startsWith("expected an integer from 1 to");
  }

  @Test
  void unknownParameterTypeIsAnErrorNamingTheParameter() {
    write(actions, "typed.yaml", "runtime: shell\nentry_point: run.sh\nparameters:\n  n: {type: float}\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("parameters.n.type = 'float' (line 4)");
    assertThat(error.expected()).isEqualTo("expected one of string, integer, number, boolean, object, array");
  }

  @Test
  void defaultOfTheWrongTypeIsAnErrorNamingTheParameter() {
    write(actions, "typed.yaml", "runtime: shell\nentry_point: run.sh\nparameters:\n"
        + "  n: {type: integer, default: many}\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("parameters.n.default = 'many' (line 4)");
    assertThat(error.expected()).isEqualTo("expected an integer");
  }

  @Test
  void requiredThatIsNotABooleanIsAnError() {
    write(actions, "typed.yaml", "runtime: shell\nentry_point: run.sh\nparameters:\n"
        + "  n: {type: string, required: 'yes please'}\n");

    assertThat(loadFails().entry()).isEqualTo("parameters.n.required = 'yes please' (line 4)");
  }

  @Test
  void wrongTolerationOperatorNamesTheFileAndTheKeyPath() {
    Path file = write(actions, "x.yaml", "runtime: shell\nentry_point: run.sh\nplacement:\n"
        + "  tolerations:\n    - {key: gpu, operator: maybe}\n");

    ConfigurationException error = loadFails();

    assertThat(error.source()).isEqualTo(file.toString());
    assertThat(error.entry()).isEqualTo("placement.tolerations[0].operator = 'maybe' (line 5)");
    assertThat(error.expected()).isEqualTo("expected equal or exists");
    assertThat(error.getMessage()).isEqualTo(file + ": placement.tolerations[0].operator = 'maybe' (line 5): "
        + "expected equal or exists");
  }

  @Test
  void unknownKeyIsAnErrorSoATypoDoesNotPassSilently() {
    write(actions, "typo.yaml", "runtime: shell\nentry_point: run.sh\ntimeout_second: 5\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("timeout_second (line 3)");
    assertThat(error.expected()).startsWith("unknown key").contains("timeout_seconds");
  }

  @Test
  void unknownPlacementKeyIsAnError() {
    write(actions, "typo.yaml", "runtime: shell\nentry_point: run.sh\nplacement: {selectors: {a: b}}\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("placement.selectors (line 3)");
    assertThat(error.expected()).startsWith("unknown key").contains("selector");
  }

  @Test
  void entryPointThatDoesNotExistIsAnError() {
    write(actions, "gone.yaml", "runtime: shell\nentry_point: gone.sh\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("entry_point = 'gone.sh' (line 2)");
    assertThat(error.expected()).contains("does not exist");
  }

  @Test
  void entryPointOutsideThePackIsAnError() {
    write(packs, "other/actions/x.sh", "echo\n");
    write(actions, "escape.yaml", "runtime: shell\nentry_point: ../../other/actions/x.sh\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("entry_point = '../../other/actions/x.sh' (line 2)");
    assertThat(error.expected()).contains("inside the pack folder");
  }

  @Test
  void entryPointThatIsALinkToAFileOutsideThePackIsRefusedWhileTheOtherActionsLoad() throws IOException {
    Path secret = write(root, "outside/shadow", "root:secret\n");
    Files.createSymbolicLink(actions.resolve("shadow.sh"), secret);
    Path file = write(actions, "leak.yaml", "runtime: shell\nentry_point: shadow.sh\n");
    write(actions, "good.yaml", "runtime: shell\nentry_point: run.sh\n");

    Path really = secret.toRealPath();

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.all()).extracting(a -> a.ref().toString()).containsExactly("p.good");
    assertThat(catalog.find("p.leak")).isEmpty();
    assertThat(catalog.problem(new ActionRef("p", "leak"))).hasValueSatisfying(why -> assertThat(why)
        .startsWith(file + ": entry_point = 'shadow.sh' (line 2): expected a file inside the pack folder ")
        .contains(actions.resolve("shadow.sh") + " leads through a symbolic link to " + really)
        .contains("outside the pack"));
  }

  @Test
  void entryPointThatIsALinkToTheShadowFileIsRefused() throws IOException {
    Files.createSymbolicLink(actions.resolve("shadow.sh"), Path.of("/etc/shadow"));
    write(actions, "leak.yaml", "runtime: shell\nentry_point: shadow.sh\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("entry_point = 'shadow.sh' (line 2)");
    assertThat(error.expected()).contains("symbolic link to /etc/shadow, outside the pack");
  }

  @Test
  void entryPointReachedThroughALinkedFolderOutsideThePackIsRefused() throws IOException {
    Path outside = write(root, "outside/lib/tool.sh", "echo\n").getParent();
    Files.createSymbolicLink(actions.resolve("lib"), outside);
    write(actions, "tool.yaml", "runtime: shell\nentry_point: lib/tool.sh\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("entry_point = 'lib/tool.sh' (line 2)");
    assertThat(error.expected()).contains("symbolic link to " + outside.toRealPath().resolve("tool.sh"));
  }

  @Test
  void linksThatStayInsideThePackAndAPackFolderThatIsItselfALinkAreFine() throws IOException {
    Files.createSymbolicLink(actions.resolve("alias.sh"), actions.resolve("run.sh"));
    write(actions, "linked.yaml", "runtime: shell\nentry_point: alias.sh\n");
    Path elsewhere = write(root, "store/q/actions/run.sh", "echo\n").getParent().getParent();
    write(elsewhere, "actions/other.yaml", "runtime: shell\nentry_point: run.sh\n");
    Files.createSymbolicLink(packs.resolve("q"), elsewhere);

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.all()).extracting(a -> a.ref().toString()).containsExactly("p.linked", "q.other");
  }

  @Test
  void anActionsFolderMountedFromAKubernetesConfigMapLoadsThoughEachFileIsALink() throws IOException {
    // the layout kubelet makes: each file links to ..data/<file>, ..data links to the current timestamped folder
    Path mounted = packs.resolve("k/actions");
    Path version = write(mounted, "..2026_01_01_00_00_00.1/run.sh", "echo\n").getParent();
    write(version, "job.yaml", "runtime: shell\nentry_point: run.sh\n");
    Files.createSymbolicLink(mounted.resolve("..data"), version.getFileName());
    Files.createSymbolicLink(mounted.resolve("run.sh"), Path.of("..data/run.sh"));
    Files.createSymbolicLink(mounted.resolve("job.yaml"), Path.of("..data/job.yaml"));

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.find("k.job")).isPresent();
  }

  @Test
  void anAliasIsRefusedNamingTheFileAndTheLineInsteadOfBecomingTheAnchorsName() {
    // the reproduced bug: the default of greeting was read as the text "who", not as "world"
    Path file = write(actions, "greet.yaml", String.join("\n",
        "runtime: shell",
        "entry_point: run.sh",
        "parameters:",
        "  name: {type: string, default: &who world}",
        "  greeting: {type: string, default: *who}",
        ""));
    write(actions, "good.yaml", "runtime: shell\nentry_point: run.sh\n");

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.all()).extracting(a -> a.ref().toString()).containsExactly("p.good");
    PackProblem problem = catalog.problemWith(new ActionRef("p", "greet")).orElseThrow();
    assertThat(problem.error().source()).isEqualTo(file.toString());
    assertThat(problem.error().entry()).isEqualTo("line 5, column 37");
    assertThat(problem.error().expected()).startsWith("YAML anchors and aliases are not supported in action files")
        .contains("*who would be read as the text 'who'");
  }

  @Test
  void anAliasOfAWholeMappingOrUsedAsAKeyIsRefusedToo() {
    write(actions, "merge.yaml", String.join("\n",
        "runtime: shell",
        "entry_point: run.sh",
        "placement:",
        "  selector: &east {zone: east}",
        "  affinity:",
        "    required:",
        "      - match_labels: *east",
        ""));
    write(packs, "q/actions/run.sh", "echo\n");
    write(packs, "q/actions/key.yaml", "runtime: &r shell\nentry_point: run.sh\n*r : 1\n");

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.problems()).hasSize(2);
    assertThat(catalog.problems().get(0).error().entry()).isEqualTo("line 7, column 23");
    // as a key, the alias is met as a syntax error after it: the line is right, the column is where it ends
    assertThat(catalog.problems().get(1).error().entry()).startsWith("line 3, column ");
    assertThat(catalog.problems().get(1).error().expected()).endsWith("(an alias used as a key)");
    assertThat(catalog.problems()).allSatisfy(p -> assertThat(p.error().expected())
        .startsWith("YAML anchors and aliases are not supported in action files"));
  }

  @Test
  void anAnchorThatNoAliasUsesIsReadAsWritten() {
    write(actions, "anchored.yaml", "runtime: &r shell\nentry_point: run.sh\n");

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.find("p.anchored").orElseThrow().runtime()).isEqualTo(RuntimeName.SHELL);
  }

  @Test
  void aDefaultHoldingANulCharacterIsAnErrorNamingItsPath() {
    write(actions, "nul.yaml", String.join("\n",
        "runtime: shell",
        "entry_point: run.sh",
        "parameters:",
        "  config:",
        "    type: object",
        "    default: {items: [a, b, \"c\\0d\"]}",
        ""));

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("parameters.config.default.items[2] (line 6)");
    assertThat(error.expected()).contains("NUL character (U+0000)");
  }

  @Test
  void emptyActionFileIsAnError() {
    write(actions, "empty.yaml", "");

    assertThat(loadFails().expected()).contains("the file is empty");
  }

  @Test
  void actionFileThatIsNotAMappingIsAnError() {
    write(actions, "list.yaml", "- runtime\n- shell\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("document");
    assertThat(error.expected()).isEqualTo("expected an object");
  }

  @Test
  void packFolderWhoseNameCannotStartAReferenceIsAnError() {
    write(packs, "my.pack/actions/run.sh", "echo\n");
    write(packs, "my.pack/actions/a.yaml", "runtime: shell\nentry_point: run.sh\n");

    assertThat(loadFails().entry()).isEqualTo("pack folder name 'my.pack'");
  }

  @Test
  void sameActionInYamlAndYmlIsAnError() {
    write(actions, "a.yaml", "runtime: shell\nentry_point: run.sh\n");
    write(actions, "a.yml", "runtime: shell\nentry_point: run.sh\n");

    ConfigurationException error = loadFails();

    assertThat(error.entry()).isEqualTo("action p.a");
    assertThat(error.expected()).contains("one file per action");
  }

  @Test
  void aBrokenActionFileIsSkippedWhileTheOtherActionsLoad() {
    write(actions, "good.yaml", "runtime: shell\nentry_point: run.sh\n");
    Path broken = write(actions, "broken.yaml", "runtime: shell\nentry_point: run.sh\ntimeout_seconds: soon\n");
    write(packs, "q/actions/run.sh", "echo\n");
    write(packs, "q/actions/other.yaml", "runtime: shell\nentry_point: run.sh\n");

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.all()).extracting(a -> a.ref().toString()).containsExactly("p.good", "q.other");
    assertThat(catalog.find("p.broken")).isEmpty();
    PackProblem problem = catalog.problemWith(new ActionRef("p", "broken")).orElseThrow();
    assertThat(problem.file()).isEqualTo(broken);
    assertThat(problem.wholePack()).isFalse();
    assertThat(problem.message()).isEqualTo(broken + ": timeout_seconds = 'soon' (line 3): expected an integer "
        + "(skipped action p.broken)");
    assertThat(catalog.problem(new ActionRef("p", "broken"))).contains(problem.error().getMessage());
    assertThat(catalog.problem(new ActionRef("p", "good"))).isEmpty();
  }

  @Test
  void anActionFileWithABadNameIsSkippedAndReported() {
    write(actions, "good.yaml", "runtime: shell\nentry_point: run.sh\n");
    write(actions, "bad name.yaml", "runtime: shell\nentry_point: run.sh\n");

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.all()).extracting(a -> a.ref().toString()).containsExactly("p.good");
    assertThat(catalog.problems()).singleElement().satisfies(p -> {
      assertThat(p.action()).isEmpty();
      assertThat(p.error().entry()).isEqualTo("action file name 'bad name.yaml'");
    });
  }

  @Test
  void aBrokenPackFileSkipsItsPackAndNamesItForEachOfItsActions() {
    Path packFile = write(packs, "p/pack.yaml", "runtimes:\n  ml:\n    args: [-u]\n");
    write(actions, "train.yaml", "runtime: ml\nentry_point: run.sh\n");
    write(packs, "q/actions/run.sh", "echo\n");
    write(packs, "q/actions/other.yaml", "runtime: shell\nentry_point: run.sh\n");

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.all()).extracting(a -> a.ref().toString()).containsExactly("q.other");
    assertThat(catalog.runtimes()).isEmpty();
    PackProblem problem = catalog.problems().get(0);
    assertThat(catalog.problems()).hasSize(1);
    assertThat(problem.wholePack()).isTrue();
    assertThat(problem.error().getMessage()).isEqualTo(packFile + ": runtimes.ml.command (line 2): is required: "
        + "expected a non-empty string");
    assertThat(problem.skipped()).isEqualTo("pack p and its actions");
    assertThat(catalog.problemWith(new ActionRef("p", "train"))).contains(problem);
  }

  @Test
  void aPackFolderWithOnlyAPackFileIsAPackThatDefinesRuntimes() {
    write(packs, "tools/pack.yaml", "runtimes:\n  ml: {command: ml-python}\n");

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.runtimes()).extracting(r -> r.name().value() + " from " + r.pack())
        .containsExactly("ml from tools");
  }

  @Test
  void twoPacksDefiningTheSameRuntimeAlikeShareItAndDifferentlySkipTheLaterPack() {
    write(packs, "a/pack.yaml", "runtimes:\n  ml: {command: ml-python, args: [-u]}\n");
    write(packs, "b/pack.yaml", "runtimes:\n  ml: {command: ml-python, args: [-u]}\n");
    Path other = write(packs, "c/pack.yaml", "description: another ml\nruntimes:\n  ml: {command: python3}\n");

    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(packs);

    assertThat(catalog.runtimes()).singleElement().satisfies(r -> assertThat(r.pack()).isEqualTo("a"));
    assertThat(catalog.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo(other);
      assertThat(p.error().entry()).isEqualTo("runtimes.ml (line 3)");
      assertThat(p.error().expected()).contains("no other pack defines differently")
          .contains(packs.resolve("a/pack.yaml").toString());
    });
  }

  @Test
  void theSamplePacksOfTheRepositoryHaveNoProblems() {
    assertThat(PacksDirectoryCatalog.load(REPOSITORY_PACKS).problems()).isEmpty();
  }

  @Test
  void theDocumentedExamplePackDefinesMlAndItsActionUsesIt() {
    PacksDirectoryCatalog catalog = PacksDirectoryCatalog.load(Path.of("..", "docs", "examples", "packs"));

    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.runtimes()).singleElement().satisfies(ml -> {
      assertThat(ml.name()).isEqualTo(new RuntimeName("ml"));
      assertThat(ml.command()).isEqualTo("python3");
      assertThat(ml.args()).containsExactly("-u");
    });
    assertThat(catalog.find("ml.train").orElseThrow().runtime()).isEqualTo(new RuntimeName("ml"));
  }
}
