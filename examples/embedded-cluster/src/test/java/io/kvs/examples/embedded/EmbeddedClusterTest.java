package io.kvs.examples.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The example's cluster, started from a test: what a user's own integration test would do. */
class EmbeddedClusterTest {
  @Test
  void everyNodeReadsBackTheWrite() {
    JsonNode value = EmbeddedCluster.run();
    assertEquals("hello", value.get("text").asText());
  }
}
