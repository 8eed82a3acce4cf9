package io.attune.worker.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every {@code java} code block of the user documentation is the text of a source file that compiles and runs
 * here, so the two cannot drift apart. Paths are relative to the module directory, where the build runs tests.
 */
class DocsInSyncTest {

  private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\s*\\n(.*?)^```\\s*$");
  private static final Path TEST_SOURCES = Path.of("src/test/java");

  @Test
  void the_testing_scheduling_guide_shows_code_that_is_run_as_tests() throws IOException {
    assertEveryJavaBlockIsIn(Path.of("../docs/testing-scheduling.md"),
        source(TestingSchedulingDocExampleTest.class),
        TEST_SOURCES.resolve("io/attune/worker/core/adapter/out/memory/InMemoryExecutionStoreContractTest.java"));
  }

  /** The in-memory example runs in EmbeddingExampleTest; the fleet example in bootstrap's JoinAFleetExampleIT. */
  @Test
  void the_embedding_guide_shows_code_that_is_run_as_a_test() throws IOException {
    assertEveryJavaBlockIsIn(Path.of("../docs/embedding.md"), source(EmbeddingExample.class),
        Path.of("../bootstrap/src/test/java/io/attune/worker/bootstrap/docs/JoinAFleetExample.java"));
  }

  private static Path source(Class<?> type) {
    return TEST_SOURCES.resolve(type.getName().replace('.', '/') + ".java");
  }

  private static void assertEveryJavaBlockIsIn(Path doc, Path... sources) throws IOException {
    List<String> blocks = javaBlocks(normalise(Files.readString(doc, StandardCharsets.UTF_8)));
    List<String> texts = new ArrayList<>();
    for (Path source : sources) {
      texts.add(normalise(Files.readString(source, StandardCharsets.UTF_8)));
    }

    assertThat(blocks).as("java blocks of %s", doc).isNotEmpty();
    for (String block : blocks) {
      assertThat(texts).as("a source file of %s containing this block of %s:%n%s", List.of(sources), doc, block)
          .anySatisfy(text -> assertThat(text).contains(block));
    }
  }

  static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** Unix line ends, no trailing blanks: editors differ there, readers do not. */
  private static String normalise(String text) {
    return text.replace("\r\n", "\n").lines().map(String::stripTrailing).collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void java_blocks_are_found_between_their_fences() {
    String markdown = "text\n```java\nclass A {}\n```\nmore\n```xml\n<a/>\n```\n```java\nclass B {}\n```\n";

    assertThat(javaBlocks(markdown)).containsExactly("class A {}\n", "class B {}\n");
  }
}
