package io.attune.worker.adapter.local.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** An action's structured result: its standard output as one JSON object, or else the last line of it as one. */
final class StructuredOutput {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
  };

  private StructuredOutput() {
  }

  /** The structured result of this standard output, or null when it holds none. */
  static Map<String, Object> of(String stdout) {
    String trimmed = stdout.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    Map<String, Object> whole = jsonObject(trimmed);
    if (whole != null) {
      return whole;
    }
    String[] lines = trimmed.split("\\R");
    return jsonObject(lines[lines.length - 1].strip());
  }

  private static Map<String, Object> jsonObject(String text) {
    if (!text.startsWith("{") || !text.endsWith("}")) {
      return null;
    }
    try {
      return JSON.readValue(text, OBJECT);
    } catch (JsonProcessingException notAnObject) {
      return null;
    }
  }
}
