package io.attune.worker.adapter.local.packs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.attune.worker.core.error.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A YAML file of a pack (an action file, a {@code pack.yaml}) read as a plain tree, with the line of each key at
 * hand for error messages: the tree readers name a key path, this adds where it stands in the file.
 */
final class YamlFile {

  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** What the reader says about an alias, wherever it stands. */
  static final String ALIASES_REFUSED = "YAML anchors and aliases are not supported in action files and pack.yaml";

  /** The YAML event Jackson names in its message when an alias stands where a key should. */
  private static final String ALIAS_EVENT = "AliasEvent";

  private YamlFile() {
  }

  /**
   * The document as maps, lists and scalars; {@code null} for an empty file.
   *
   * @throws ConfigurationException naming the file and the line of a syntax error, a duplicate key or an alias
   */
  static Object read(Path file) {
    String source = file.toString();
    try {
      if (Files.size(file) == 0) {
        return null;
      }
      refuseAliases(file);
      return YAML.readValue(file.toFile(), Object.class);
    } catch (JsonProcessingException syntax) {
      String where = where(syntax.getLocation());
      String message = syntax.getOriginalMessage();
      if (message != null && message.contains(ALIAS_EVENT)) {
        throw new ConfigurationException(source, where, ALIASES_REFUSED + " (an alias used as a key)");
      }
      throw new ConfigurationException(source, where, "expected valid YAML: " + summary(message));
    } catch (IOException unreadable) {
      throw new ConfigurationException(source, "(file)", "expected a readable file: " + unreadable.getMessage());
    }
  }

  /**
   * Refuses the first alias ({@code *name}) of the file. Jackson's tree reading does not expand aliases: it reads
   * {@code *name} as the text {@code name}, so an action file would silently get the anchor's name where its value
   * was meant. Expanding them is possible but not worth what it brings to files this small (and would open the door
   * to alias bombs); refusing them, with the line, is plain. An anchor ({@code &name}) that no alias uses is
   * harmless and read as written.
   */
  private static void refuseAliases(Path file) throws IOException {
    try (JsonParser parser = YAML.createParser(file.toFile())) {
      while (parser.nextToken() != null) {
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
          throw new ConfigurationException(file.toString(), where(parser.currentTokenLocation()),
              ALIASES_REFUSED + ": *" + parser.getText() + " would be read as the text '" + parser.getText()
              + "', not as the value anchored as &" + parser.getText() + "; write the value out in full");
        }
      }
    }
  }

  private static String where(JsonLocation at) {
    return at == null || at.getLineNr() < 1 ? "(syntax)"
        : "line " + at.getLineNr() + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "");
  }

  /**
   * The error with the line of the key it names added to its entry, as {@code key = value (line N)}; a key that is
   * missing gets the line of the object that lacks it. Errors about another file, or naming no key of this one,
   * come back as they are.
   */
  static ConfigurationException located(Path file, ConfigurationException error) {
    if (!error.source().equals(file.toString())) {
      return error;
    }
    String entry = error.entry();
    int value = entry.indexOf(" = ");
    String path = value < 0 ? entry : entry.substring(0, value);
    Map<String, Integer> lines = lines(file);
    for (String at = path; !at.isEmpty(); at = parentOf(at)) {
      Integer line = lines.get(at);
      if (line != null) {
        ConfigurationException located = new ConfigurationException(error.source(), entry + " (line " + line + ")",
            error.expected());
        located.initCause(error);
        return located;
      }
    }
    return error;
  }

  /** The line of every key path of the file, spelt as the tree readers spell it: {@code a.b[0].c}. */
  static Map<String, Integer> lines(Path file) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = YAML.createParser(file.toFile())) {
      if (parser.nextToken() != null) {
        walk(parser, "", lines);
      }
    } catch (IOException unreadable) {
      // the lines are a help for a message about the file; what was found so far is kept
    }
    return lines;
  }

  private static void walk(JsonParser parser, String path, Map<String, Integer> lines) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String child = path.isEmpty() ? parser.currentName() : path + "." + parser.currentName();
        lines.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
        parser.nextToken();
        walk(parser, child, lines);
      }
    } else if (token == JsonToken.START_ARRAY) {
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        String child = path + "[" + index++ + "]";
        lines.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
        walk(parser, child, lines);
      }
    }
  }

  private static String parentOf(String path) {
    if (path.endsWith("]") && path.lastIndexOf('[') > 0) {
      return path.substring(0, path.lastIndexOf('['));
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  /** The parser's message on one line, without the snippet of the file that YAML messages carry. */
  private static String summary(String message) {
    if (message == null) {
      return "unreadable";
    }
    String firstPart = message.lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("in 'reader'") && !line.startsWith("^"))
        .collect(Collectors.joining("; "));
    return firstPart.length() <= 200 ? firstPart : firstPart.substring(0, 200) + "...";
  }
}
