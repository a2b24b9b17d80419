package io.kvs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CausalMetadataTest {
  private static String extract(String body) {
    byte[] bytes = (body + "trailing garbage past the length").getBytes(StandardCharsets.UTF_8);
    byte[] found = CausalMetadata.extract(bytes, body.getBytes(StandardCharsets.UTF_8).length);
    return found == null ? null : new String(found, StandardCharsets.UTF_8);
  }

  @Test
  void objectIsCopiedWithNestedBracesAndStrings() {
    String metadata = "{\"v\":{\"n1\":[1,2]},\"s\":\"a}\\\"]b\"}";
    assertThat(extract("{\"result\":\"found\",\"causal-metadata\": " + metadata + ",\"value\":1}"))
        .isEqualTo(metadata);
  }

  @Test
  void stringAndNumberValuesAreCopied() {
    assertThat(extract("{\"causal-metadata\":\"opaque\\\"token\"}")).isEqualTo("\"opaque\\\"token\"");
    assertThat(extract("{\"causal-metadata\" :\n 17}")).isEqualTo("17");
  }

  @Test
  void absentOrNullIsNull() {
    assertThat(extract("{\"result\":\"created\"}")).isNull();
    assertThat(extract("{\"causal-metadata\":null}")).isNull();
    assertThat(extract("{\"causal-metadata\":")).isNull();
  }
}
