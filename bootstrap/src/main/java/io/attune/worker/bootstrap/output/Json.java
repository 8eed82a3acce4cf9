package io.attune.worker.bootstrap.output;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attune.worker.core.error.ConfigurationException;
import io.attune.worker.core.error.InfrastructureException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** JSON in and out for the command line: pretty output, input errors that name the file and line. */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {
  }

  /** Pretty JSON of a tree of maps, lists and scalars. */
  public static String write(Object tree) {
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException bug) {
      throw new InfrastructureException("write JSON", bug.getOriginalMessage(), bug);
    }
  }

  /** Reads a JSON file into a tree; a missing file or bad syntax is a configuration error naming the file. */
  public static Object read(Path file) {
    String source = file.toString();
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, source);
    } catch (NoSuchFileException missing) {
      throw new ConfigurationException(source, "file", "does not exist");
    } catch (IOException unreadable) {
      throw new ConfigurationException(source, "file", "cannot be read: " + unreadable.getMessage());
    }
  }

  /** Reads one JSON document from a stream, such as standard input; errors name {@code source}. */
  public static Object read(InputStream in, String source) {
    try {
      return MAPPER.readValue(in, Object.class);
    } catch (JsonProcessingException syntax) {
      JsonLocation at = syntax.getLocation();
      throw new ConfigurationException(source, at == null ? "syntax" : "line " + at.getLineNr() + ", column "
          + at.getColumnNr(), "not valid JSON: " + syntax.getOriginalMessage());
    } catch (IOException unreadable) {
      throw new ConfigurationException(source, "input", "cannot be read: " + unreadable.getMessage());
    }
  }

  /** Parses a JSON text, e.g. a --param value that looks like an object or array. */
  public static Object parse(String text, String source) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException syntax) {
      throw new ConfigurationException(source, text, "not valid JSON: " + syntax.getOriginalMessage());
    }
  }
}
