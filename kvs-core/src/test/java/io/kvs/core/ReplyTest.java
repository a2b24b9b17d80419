package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Replies compare by value, value bytes included. */
class ReplyTest {
  private static Reply.Kv found(String json, int shard) {
    return new Reply.Kv(Reply.KvOutcome.FOUND, json.getBytes(StandardCharsets.UTF_8), CausalContext.none(), shard);
  }

  @Test
  void kvRepliesWithEqualBytesInDistinctArraysAreEqual() {
    assertThat(found("\"a\"", 0)).isEqualTo(found("\"a\"", 0)).hasSameHashCodeAs(found("\"a\"", 0));
    assertThat(found("\"a\"", 0)).isNotEqualTo(found("\"b\"", 0)).isNotEqualTo(found("\"a\"", 1));
    Reply.Kv noValue = new Reply.Kv(Reply.KvOutcome.CREATED, null, CausalContext.none(), 0);
    assertThat(noValue).isEqualTo(new Reply.Kv(Reply.KvOutcome.CREATED, null, CausalContext.none(), 0))
        .isNotEqualTo(found("\"a\"", 0));
  }

  @Test
  void kvToStringShowsTheValueAsText() {
    assertThat(found("{\"n\":1}", 1).toString()).contains("value={\"n\":1}").contains("FOUND").contains("shardId=1");
  }
}
