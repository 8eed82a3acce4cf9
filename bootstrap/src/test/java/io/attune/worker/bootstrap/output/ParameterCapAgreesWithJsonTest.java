package io.attune.worker.bootstrap.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.core.model.action.ParameterCap;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The core's parameter cap counts the bytes a JSON library writes: a tree exactly at the cap fits, one byte over
 * does not. Checked against Jackson, which writes the parameters where they are stored and sent.
 */
class ParameterCapAgreesWithJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void countsWhatJacksonWritesForAwkwardValues() throws Exception {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("quote\"and\\slash/", "tab\tnewline\ncr\r\bbell\u0007\f");
    tree.put("unicode", "é€😀 日本");
    tree.put("numbers", Arrays.asList(0, -7, 3_000_000_000L, 1.5, 1.0E20, new BigDecimal("12.3400"), null));
    tree.put("nested", Map.of("empty", Map.of(), "list", List.of(), "flag", true));
    tree.put("", false);
    assertCapMatchesJackson(tree);
  }

  @Test
  void countsWhatJacksonWritesForRandomTrees() throws Exception {
    Random random = new Random(23);
    for (int i = 0; i < 500; i++) {
      Map<String, Object> tree = new LinkedHashMap<>();
      for (int k = random.nextInt(5); k > 0; k--) {
        tree.put(text(random), value(random, 3));
      }
      assertCapMatchesJackson(tree);
    }
  }

  private static void assertCapMatchesJackson(Map<String, Object> tree) throws Exception {
    long written = JSON.writeValueAsBytes(tree).length;
    assertEquals(Optional.empty(), new ParameterCap(written).excess(tree), () -> "at the cap: " + tree);
    if (written > 2) { // a cap is at least 2 bytes, the empty object
      assertEquals(Optional.of(written), new ParameterCap(written - 1).excess(tree), () -> "over the cap: " + tree);
    }
  }

  private static Object value(Random random, int depth) {
    switch (random.nextInt(depth > 0 ? 7 : 5)) {
      case 0:
        return text(random);
      case 1:
        return random.nextLong();
      case 2:
        return random.nextDouble() * 1e6;
      case 3:
        return random.nextBoolean();
      case 4:
        return null;
      case 5: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int k = random.nextInt(4); k > 0; k--) {
          map.put(text(random), value(random, depth - 1));
        }
        return map;
      }
      default:
        return Arrays.asList(value(random, depth - 1), value(random, depth - 1));
    }
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    for (int n = random.nextInt(12); n > 0; n--) {
      int kind = random.nextInt(5);
      text.appendCodePoint(kind == 0 ? random.nextInt(0x20) : kind == 1 ? 0x20 + random.nextInt(0x60)
          : kind == 2 ? 0x80 + random.nextInt(0x700) : kind == 3 ? 0x800 + random.nextInt(0xD000)
          : 0x10000 + random.nextInt(0x1000));
    }
    return text.toString();
  }
}
