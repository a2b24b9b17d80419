package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.api.spi.CausalMetadataJson;
import io.kvs.core.CausalContext;
import io.kvs.core.VectorClock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CausalMetadataJsonTest {
  private static JsonNode json(String text) {
    return Json.parseOrNull(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void roundTripsEveryShape() {
    CausalContext multi = CausalContext.of(7, Map.of(
        0, VectorClock.of(Map.of("10.0.0.1:8090/abc", 3L, "10.0.0.2:8090/def", 1L)),
        12, VectorClock.of(Map.of("w", Long.MAX_VALUE))));
    for (CausalContext c : new CausalContext[] {CausalContext.none(), CausalContext.of(3, Map.of()), multi}) {
      JsonNode wire = json(CausalMetadataJson.toJson(c).toString());
      assertThat(CausalMetadataJson.fromJson(wire)).isEqualTo(c);
    }
  }

  @Test
  void writesTheDocumentedShape() {
    CausalContext c = CausalContext.of(2, Map.of(1, VectorClock.of(Map.of("w", 5L))));
    assertThat(CausalMetadataJson.toJson(c).toString()).isEqualTo("{\"epoch\":2,\"clocks\":{\"1\":{\"w\":5}}}");
    assertThat(CausalMetadataJson.toJson(CausalContext.none()).toString()).isEqualTo("{\"epoch\":0,\"clocks\":{}}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "\"\"", "{}", "{\"epoch\":0,\"clocks\":{}}", "{\"epoch\":0,\"clocks\":{\"0\":{}}}"})
  void emptyFormsMeanNoDependencies(String text) {
    assertThat(CausalMetadataJson.fromJson(json(text))).isEqualTo(CausalContext.none());
  }

  @Test
  void absentFieldMeansNoDependencies() {
    assertThat(CausalMetadataJson.fromJson(null)).isEqualTo(CausalContext.none());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "5", "true", "\"x\"", "\" \"", "[]", "[1]", "1.5",
      "{\"epoch\":0}", "{\"clocks\":{}}", "{\"epoch\":null,\"clocks\":{}}", "{\"epoch\":0,\"clocks\":null}",
      "{\"epoch\":-1,\"clocks\":{}}", "{\"epoch\":1.5,\"clocks\":{}}", "{\"epoch\":1.0,\"clocks\":{}}",
      "{\"epoch\":\"1\",\"clocks\":{}}", "{\"epoch\":100000000000000000000,\"clocks\":{}}",
      "{\"epoch\":0,\"clocks\":[]}", "{\"epoch\":0,\"clocks\":5}",
      "{\"epoch\":0,\"clocks\":{\"x\":{\"w\":1}}}", "{\"epoch\":0,\"clocks\":{\"-1\":{\"w\":1}}}",
      "{\"epoch\":0,\"clocks\":{\"01\":{\"w\":1}}}", "{\"epoch\":0,\"clocks\":{\"1.0\":{\"w\":1}}}",
      "{\"epoch\":0,\"clocks\":{\"99999999999\":{\"w\":1}}}", "{\"epoch\":0,\"clocks\":{\"\":{\"w\":1}}}",
      "{\"epoch\":0,\"clocks\":{\"0\":null}}", "{\"epoch\":0,\"clocks\":{\"0\":[1]}}",
      "{\"epoch\":0,\"clocks\":{\"0\":{\"w\":0}}}", "{\"epoch\":0,\"clocks\":{\"0\":{\"w\":-1}}}",
      "{\"epoch\":0,\"clocks\":{\"0\":{\"w\":\"1\"}}}", "{\"epoch\":0,\"clocks\":{\"0\":{\"w\":1.5}}}",
      "{\"epoch\":0,\"clocks\":{\"0\":{\"w\":null}}}", "{\"epoch\":0,\"clocks\":{\"0\":{\"\":1}}}",
      "{\"epoch\":0,\"clocks\":{\"0\":{\"w\":100000000000000000000}}}",
      "{\"epoch\":0,\"clocks\":{},\"extra\":1}", "{\"junk\":true}"})
  void everyOtherShapeIsInvalid(String text) {
    JsonNode wire = json(text);
    assertThat(wire).as("test input parses").isNotNull();
    assertThatThrownBy(() -> CausalMetadataJson.fromJson(wire))
        .isInstanceOf(CausalMetadataJson.InvalidMetadataException.class);
  }
}
