package io.attune.worker.deployment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.testsupport.repository.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small reader for {@code docker/Dockerfile.worker}: its stages, their instructions, and the image
 * configuration each target ends up with once {@code FROM <stage>} inheritance is followed.
 *
 * <p>It understands what the worker's Dockerfile uses (line continuations, comments, exec and shell forms,
 * {@code ENV k=v}, flags on {@code COPY} and {@code HEALTHCHECK}); it is not a general Dockerfile parser.
 */
final class DockerfileModel {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instruction: its keyword in upper case, its flags ({@code --from=x}) and its remaining text. */
  record Instruction(int line, String keyword, Map<String, String> flags, String arguments) {
  }

  /** One build stage: {@code FROM base AS name}. */
  record Stage(String name, String base, List<Instruction> instructions) {
  }

  /** The exec-form {@code HEALTHCHECK}: its options and its command; {@code none} for {@code HEALTHCHECK NONE}. */
  record Healthcheck(Map<String, String> options, List<String> command, boolean none) {
  }

  /** A {@code COPY}: from the build context unless {@code from} names a stage or image. */
  record Copy(int line, Optional<String> from, Optional<String> chmod, List<String> sources, String destination) {
  }

  /** What a target's image runs with, after inheriting from the stages it is built on. */
  record ImageConfig(
      Map<String, String> env,
      Optional<String> user,
      Optional<Healthcheck> healthcheck,
      List<String> entrypoint,
      List<String> cmd,
      Set<String> volumes,
      List<String> runs,
      List<Copy> copies) {

    /** The UID given to {@code user} by the last {@code useradd} among the image's RUN instructions. */
    Optional<Integer> createdUid(String user) {
      Pattern useradd = Pattern.compile("useradd\\s+([^&;|]*?)\\b" + Pattern.quote(user)
          + "\\b\\s*(?:$|&&|;|\\|)");
      Optional<Integer> uid = Optional.empty();
      for (String run : runs) {
        Matcher m = useradd.matcher(run);
        while (m.find()) {
          Matcher option = Pattern.compile("(?:--uid|-u)[=\\s]+(\\d+)").matcher(m.group(1));
          if (option.find()) {
            uid = Optional.of(Integer.parseInt(option.group(1)));
          }
        }
      }
      return uid;
    }
  }

  private final Path path;
  private final Map<String, Stage> stages;

  private DockerfileModel(Path path, Map<String, Stage> stages) {
    this.path = path;
    this.stages = stages;
  }

  static DockerfileModel load() {
    return load(RepositoryFiles.root().resolve("docker/Dockerfile.worker"));
  }

  static DockerfileModel load(Path path) {
    return parse(path, RepositoryFiles.read(path));
  }

  static DockerfileModel parse(Path path, String text) {
    Map<String, Stage> stages = new LinkedHashMap<>();
    String currentName = null;
    String currentBase = null;
    List<Instruction> current = null;
    int anonymous = 0;
    for (Instruction instruction : instructions(text)) {
      if (instruction.keyword().equals("FROM")) {
        if (current != null) {
          stages.put(currentName, new Stage(currentName, currentBase, List.copyOf(current)));
        }
        String[] words = instruction.arguments().trim().split("\\s+");
        currentBase = words[0];
        currentName = words.length >= 3 && words[1].equalsIgnoreCase("AS")
            ? words[2].toLowerCase(Locale.ROOT) : "stage-" + anonymous++;
        current = new ArrayList<>();
      } else if (current != null) {
        current.add(instruction);
      }
    }
    if (current != null) {
      stages.put(currentName, new Stage(currentName, currentBase, List.copyOf(current)));
    }
    return new DockerfileModel(path, Collections.unmodifiableMap(stages));
  }

  Path path() {
    return path;
  }

  Map<String, Stage> stages() {
    return stages;
  }

  Stage stage(String name) {
    Stage stage = stages.get(name);
    if (stage == null) {
      throw new IllegalArgumentException(path + ": no stage '" + name + "'; stages are " + stages.keySet());
    }
    return stage;
  }

  boolean hasStage(String name) {
    return stages.containsKey(name);
  }

  /** The stages a target is built from, the first one based on an outside image, the target last. */
  List<Stage> chain(String target) {
    List<Stage> chain = new ArrayList<>();
    for (Stage s = stage(target); s != null; s = stages.get(s.base().toLowerCase(Locale.ROOT))) {
      chain.add(0, s);
      if (chain.size() > stages.size()) {
        throw new IllegalStateException(path + ": stage " + target + " inherits from itself");
      }
    }
    return chain;
  }

  /** The image configuration of a target, following Docker's rules for what a later instruction replaces. */
  ImageConfig config(String target) {
    Map<String, String> env = new LinkedHashMap<>();
    String user = null;
    Healthcheck healthcheck = null;
    List<String> entrypoint = List.of();
    List<String> cmd = List.of();
    Set<String> volumes = new LinkedHashSet<>();
    List<String> runs = new ArrayList<>();
    List<Copy> copies = new ArrayList<>();
    for (Stage stage : chain(target)) {
      for (Instruction i : stage.instructions()) {
        switch (i.keyword()) {
          case "ENV" -> env.putAll(keyValues(i.arguments()));
          case "USER" -> user = i.arguments().trim();
          case "HEALTHCHECK" -> healthcheck = healthcheck(i);
          case "ENTRYPOINT" -> {
            entrypoint = execForm(i.arguments());
            cmd = List.of(); // a new entry point drops the inherited default command
          }
          case "CMD" -> cmd = execForm(i.arguments());
          case "VOLUME" -> volumes.addAll(execForm(i.arguments()));
          case "RUN" -> runs.add(i.arguments());
          case "COPY" -> copies.add(copy(i));
          default -> {
          }
        }
      }
    }
    return new ImageConfig(Map.copyOf(env), Optional.ofNullable(user), Optional.ofNullable(healthcheck),
        entrypoint, cmd, Set.copyOf(volumes), List.copyOf(runs), List.copyOf(copies));
  }

  /** Every {@code COPY} in the file, in order. */
  List<Copy> allCopies() {
    List<Copy> copies = new ArrayList<>();
    stages.values().forEach(s -> s.instructions().stream()
        .filter(i -> i.keyword().equals("COPY")).forEach(i -> copies.add(copy(i))));
    return copies;
  }

  /** Logical instructions: continuation lines joined, comments and blank lines dropped. */
  static List<Instruction> instructions(String text) {
    List<Instruction> result = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    StringBuilder logical = null;
    int start = 0;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].stripTrailing();
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && logical == null)) {
        continue;
      }
      if (logical == null) {
        logical = new StringBuilder();
        start = n + 1;
      }
      if (line.endsWith("\\")) {
        logical.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      logical.append(line);
      result.add(instruction(start, logical.toString().strip()));
      logical = null;
    }
    if (logical != null) {
      result.add(instruction(start, logical.toString().strip()));
    }
    return result;
  }

  private static Instruction instruction(int line, String text) {
    int space = text.indexOf(' ');
    String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
    String rest = space < 0 ? "" : text.substring(space + 1).strip();
    Map<String, String> flags = new LinkedHashMap<>();
    // flags come first on COPY, ADD, RUN, FROM and HEALTHCHECK: --name=value
    while (rest.startsWith("--")) {
      int end = rest.indexOf(' ');
      String flag = end < 0 ? rest : rest.substring(0, end);
      int eq = flag.indexOf('=');
      flags.put(eq < 0 ? flag.substring(2) : flag.substring(2, eq), eq < 0 ? "" : flag.substring(eq + 1));
      rest = end < 0 ? "" : rest.substring(end + 1).strip();
    }
    return new Instruction(line, keyword, Collections.unmodifiableMap(flags), rest);
  }

  /** A JSON array (exec form), or the shell form as {@code /bin/sh -c text}. */
  static List<String> execForm(String arguments) {
    String s = arguments.strip();
    if (s.startsWith("[")) {
      try {
        return List.copyOf(JSON.readValue(s, new TypeReference<List<String>>() { }));
      } catch (IOException e) {
        throw new IllegalArgumentException("not a JSON array of strings: " + s, e);
      }
    }
    return s.isEmpty() ? List.of() : List.of("/bin/sh", "-c", s);
  }

  private static Healthcheck healthcheck(Instruction i) {
    String rest = i.arguments().strip();
    if (rest.equalsIgnoreCase("NONE")) {
      return new Healthcheck(i.flags(), List.of(), true);
    }
    if (!rest.regionMatches(true, 0, "CMD", 0, 3)) {
      throw new IllegalArgumentException("line " + i.line() + ": HEALTHCHECK without CMD: " + rest);
    }
    return new Healthcheck(i.flags(), execForm(rest.substring(3)), false);
  }

  private static Copy copy(Instruction i) {
    List<String> words = i.arguments().startsWith("[")
        ? execForm(i.arguments()) : List.of(i.arguments().split("\\s+"));
    if (words.size() < 2) {
      throw new IllegalArgumentException("line " + i.line() + ": COPY needs a source and a destination");
    }
    return new Copy(i.line(), Optional.ofNullable(i.flags().get("from")), Optional.ofNullable(i.flags().get("chmod")),
        List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1));
  }

  /** {@code ENV}/{@code LABEL} arguments: {@code k=v k2="v 2"}, or the legacy {@code ENV k v}. */
  static Map<String, String> keyValues(String arguments) {
    Map<String, String> result = new LinkedHashMap<>();
    List<String> words = words(arguments);
    if (!words.isEmpty() && !words.get(0).contains("=")) {
      result.put(words.get(0), String.join(" ", words.subList(1, words.size())));
      return result;
    }
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expected key=value, found '" + word + "' in: " + arguments);
      }
      result.put(word.substring(0, eq), word.substring(eq + 1));
    }
    return result;
  }

  /** Splits on blanks outside double or single quotes, dropping the quotes and honouring backslash escapes. */
  private static List<String> words(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        continue;
      }
      inWord = true;
      if (c == '\\' && quote != '\'' && k + 1 < s.length()) {
        word.append(s.charAt(++k));
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else {
        word.append(c);
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
