package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  private static String raw(String document, String field) {
    byte[] bytes = Json.rawField(document.getBytes(StandardCharsets.UTF_8), field);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "1.10", "-0", "1e5", "1E+400", "123456789012345678901234567890", "true", "false",
      "\"\"", "\"caf\\u00e9 \\\"q\\\" é\"", "[]", "[1, {\"a\": [2, 3]}, \"x\"]", "{}",
      "{ \"nested\" : { \"deep\" : [ null, 1.0 ] } }"})
  void valuesAreCopiedByteForByte(String value) {
    String document = "{\"causal-metadata\": {\"a\": [1, 2]}, \"value\":   " + value + "  , \"after\": 1}";
    assertThat(raw(document, "value")).isEqualTo(value);
  }

  @Test
  void valueLastOrAloneIsCopied() {
    assertThat(raw("{\"value\":42}", "value")).isEqualTo("42");
    assertThat(raw("{\"a\":{\"value\":1},\"value\":\"x\"}", "value")).isEqualTo("\"x\"");
  }

  @Test
  void absentOrNullIsNull() {
    assertThat(raw("{\"other\":1}", "value")).isNull();
    assertThat(raw("{\"value\":null}", "value")).isNull();
  }

  @Test
  void strictParsing() {
    assertThat(Json.parseOrNull("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(Json.parseOrNull("{\"a\":1} {}".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(Json.parseOrNull("{'a':1}".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(Json.parseOrNull("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isNotNull();
  }
}
