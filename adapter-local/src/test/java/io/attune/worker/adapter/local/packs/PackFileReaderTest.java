package io.attune.worker.adapter.local.packs;

import static io.attune.worker.testsupport.process.Scripts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pack.yaml}: the runtimes a pack defines, and errors that name the file, the key, its line and the shape. */
class PackFileReaderTest {

  @TempDir
  Path root;

  private Path packFile(String content) {
    return write(root, "ml/pack.yaml", content);
  }

  private List<PackRuntime> read(String content) {
    return new PackFileReader().read(packFile(content), "ml");
  }

  private ConfigurationException fails(String content) {
    Path file = packFile(content);
    ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
        () -> new PackFileReader().read(file, "ml"));
    assertThat(error).as("an error for:\n" + content).isNotNull();
    assertThat(error.source()).isEqualTo(file.toString());
    return error;
  }

  @Test
  void everyKeyOfARuntimeIsRead() {
    List<PackRuntime> runtimes = read(String.join("\n",
        "ref: ml",
        "label: Machine learning",
        "description: models",
        "version: 1.2.0",
        "author: someone",
        "runtimes:",
        "  ML:",
        "    description: python with the ml libraries",
        "    command: python3",
        "    args: [\"-u\", -X, utf8]",
        "    version_args: [-c, 'import sys; print(sys.version)']",
        "  ml-gpu:",
        "    command: /opt/ml/bin/python",
        ""));

    assertThat(runtimes).hasSize(2);
    PackRuntime ml = runtimes.get(0);
    assertThat(ml.name()).isEqualTo(new RuntimeName("ml"));
    assertThat(ml.pack()).isEqualTo("ml");
    assertThat(ml.command()).isEqualTo("python3");
    assertThat(ml.args()).containsExactly("-u", "-X", "utf8");
    assertThat(ml.versionArgs()).containsExactly("-c", "import sys; print(sys.version)");
    assertThat(ml.probeRecipe()).isEqualTo(new KnownRuntime(new RuntimeName("ml"), List.of("python3"),
        List.of("-c", "import sys; print(sys.version)")));
    PackRuntime gpu = runtimes.get(1);
    assertThat(gpu.name()).isEqualTo(new RuntimeName("ml-gpu"));
    assertThat(gpu.args()).isEmpty();
    assertThat(gpu.versionArgs()).containsExactly("--version");
  }

  @Test
  void anEmptyFileOrOneWithoutRuntimesDefinesNone() {
    assertThat(read("")).isEmpty();
    assertThat(read("description: only words\n")).isEmpty();
  }

  @Test
  void aBuiltInRuntimeCannotBeRedefinedAndTheErrorSaysWhatToDoInstead() {
    ConfigurationException error = fails("description: x\nruntimes:\n  python3:\n    command: /opt/py/bin/python\n");

    assertThat(error.entry()).isEqualTo("runtimes.python3 (line 3)");
    assertThat(error.expected()).startsWith("expected a custom runtime name: 'python3' is the built-in runtime python")
        .contains("python-ml").contains("worker.interpreters");
  }

  @Test
  void aMissingCommandNamesTheRuntimeAndItsLine() {
    ConfigurationException error = fails("runtimes:\n  ml:\n    args: [-u]\n");

    assertThat(error.entry()).isEqualTo("runtimes.ml.command (line 2)");
    assertThat(error.expected()).isEqualTo("is required: expected a non-empty string");
  }

  @Test
  void aCommandWithArgumentsOrARelativePathIsRefused() {
    ConfigurationException withArguments = fails("runtimes:\n  ml:\n    command: python3 -u\n");
    ConfigurationException relative = fails("runtimes:\n  ml:\n    command: bin/python\n");

    assertThat(withArguments.entry()).isEqualTo("runtimes.ml.command = 'python3 -u' (line 3)");
    assertThat(withArguments.expected()).contains("put those in args");
    assertThat(relative.entry()).isEqualTo("runtimes.ml.command = 'bin/python' (line 3)");
    assertThat(relative.expected()).contains("an absolute path");
  }

  @Test
  void argsThatAreNotAListNameTheKeyAndLine() {
    ConfigurationException error = fails("runtimes:\n  ml:\n    command: python3\n    args: -u\n");

    assertThat(error.entry()).isEqualTo("runtimes.ml.args = '-u' (line 4)");
    assertThat(error.expected()).isEqualTo("expected a list");
  }

  @Test
  void anUnknownKeyOfARuntimeIsAnErrorListingTheKnownOnes() {
    ConfigurationException error = fails("runtimes:\n  ml:\n    command: python3\n    arguments: [-u]\n");

    assertThat(error.entry()).isEqualTo("runtimes.ml.arguments (line 4)");
    assertThat(error.expected()).isEqualTo("unknown key: expected one of [args, command, description, version_args]");
  }

  @Test
  void anUnknownTopLevelKeyIsAnError() {
    ConfigurationException error = fails("description: x\nruntime:\n  ml: {command: python3}\n");

    assertThat(error.entry()).isEqualTo("runtime (line 2)");
    assertThat(error.expected()).startsWith("unknown key").contains("runtimes");
  }

  @Test
  void runtimesThatAreNotAMappingShowTheExpectedShape() {
    ConfigurationException list = fails("runtimes: [ml]\n");
    ConfigurationException bare = fails("runtimes:\n  ml: python3\n");

    assertThat(list.entry()).isEqualTo("runtimes = [ml] (line 1)");
    assertThat(list.expected()).contains("mapping of runtime name to {command:");
    assertThat(bare.entry()).isEqualTo("runtimes.ml = 'python3' (line 2)");
    assertThat(bare.expected()).startsWith("expected {command: BINARY or /absolute/path, args:");
  }

  @Test
  void anInvalidRuntimeNameIsAnError() {
    ConfigurationException error = fails("runtimes:\n  'm l':\n    command: python3\n");

    assertThat(error.entry()).isEqualTo("runtimes.m l (line 2)");
    assertThat(error.expected()).contains("runtime name");
  }

  @Test
  void theSameRuntimeTwiceThroughCaseIsAnError() {
    ConfigurationException error = fails("runtimes:\n  ml: {command: a}\n  ML: {command: b}\n");

    assertThat(error.entry()).isEqualTo("runtimes.ML (line 3)");
    assertThat(error.expected()).contains("each runtime once");
  }

  @Test
  void aRefOtherThanTheFolderNameIsAnError() {
    ConfigurationException error = fails("ref: other\n");

    assertThat(error.entry()).isEqualTo("ref = 'other' (line 1)");
    assertThat(error.expected()).contains("'ml'");
  }

  @Test
  void aSyntaxErrorNamesTheLine() {
    ConfigurationException error = fails("runtimes:\n  ml: {command: [python3\n");

    assertThat(error.entry()).startsWith("line ");
    assertThat(error.expected()).startsWith("expected valid YAML");
  }

  @Test
  void aDuplicateKeyNamesItsLine() {
    ConfigurationException error = fails("runtimes:\n  ml:\n    command: a\n    command: b\n");

    assertThat(error.entry()).startsWith("line 4");
    assertThat(error.expected()).contains("command");
  }

  @Test
  void anAliasIsRefusedNamingItsLineInsteadOfBecomingTheAnchorsName() {
    ConfigurationException error = fails(String.join("\n",
        "runtimes:",
        "  ml:",
        "    command: python3",
        "    args: &flags [-u]",
        "  ml-gpu:",
        "    command: python3",
        "    args: *flags",
        ""));

    assertThat(error.entry()).isEqualTo("line 7, column 11");
    assertThat(error.expected()).startsWith("YAML anchors and aliases are not supported in action files and "
        + "pack.yaml").contains("*flags would be read as the text 'flags'");
  }
}
