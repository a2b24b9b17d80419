package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.api.spi.CausalMetadataJson;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import io.kvs.core.Reply;
import io.kvs.core.VectorClock;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReplyMapperTest {
  private static void maps(Reply reply, int status, String json) {
    HttpReply http = ReplyMapper.toHttp(reply);
    assertThat(http.status()).isEqualTo(status);
    assertThat(Http.json(new String(http.body(), StandardCharsets.UTF_8))).isEqualTo(Http.json(json));
  }

  @Test
  void membershipOutcomes() {
    maps(new Reply.Ok(Reply.Done.VIEW_ADDED), 201, "{\"result\": \"added\"}");
    maps(new Reply.Ok(Reply.Done.VIEW_ALREADY_PRESENT), 200, "{\"result\": \"already present\"}");
    maps(new Reply.Ok(Reply.Done.VIEW_DELETED), 200, "{\"result\": \"deleted\"}");
    maps(new Reply.Ok(Reply.Done.MEMBER_ADDED), 200, "{\"result\": \"node added to shard\"}");
    maps(new Reply.Ok(Reply.Done.RESHARDED), 200, "{\"result\": \"resharded\"}");
    maps(new Reply.KeyCount(7), 200, "{\"shard-key-count\": 7}");
  }

  @Test
  void keyValueOutcomes() {
    String none = "{\"epoch\": 0, \"clocks\": {}}";
    CausalContext c = CausalContext.none();
    maps(new Reply.Kv(Reply.KvOutcome.CREATED, null, c, 1), 201,
        "{\"result\": \"created\", \"causal-metadata\": " + none + ", \"shard-id\": 1}");
    maps(new Reply.Kv(Reply.KvOutcome.REPLACED, null, c, 0), 200,
        "{\"result\": \"replaced\", \"causal-metadata\": " + none + ", \"shard-id\": 0}");
    maps(new Reply.Kv(Reply.KvOutcome.FOUND, "[1, {\"a\": 2.50}]".getBytes(StandardCharsets.UTF_8), c, 0), 200,
        "{\"result\": \"found\", \"value\": [1, {\"a\": 2.50}], \"causal-metadata\": " + none + ", \"shard-id\": 0}");
    maps(new Reply.Kv(Reply.KvOutcome.DELETED, null, c, 0), 200,
        "{\"result\": \"deleted\", \"causal-metadata\": " + none + ", \"shard-id\": 0}");
    maps(new Reply.KeyMissing(c), 404, "{\"error\": \"Key does not exist\", \"causal-metadata\": " + none + "}");
  }

  @Test
  void metadataWrittenAsBytesIsTheSameJsonAsCausalMetadataJson() {
    // ReplyMapper writes metadata straight to bytes; clients parse it with CausalMetadataJson
    CausalContext c = CausalContext.of(7, java.util.Map.of(
        0, VectorClock.empty().with("10.0.0.2:8090/1.0", 41).with("10.0.0.3:8090/2.1", 3),
        1, VectorClock.empty().with("quote\"back\\slash\u00e9", 9)));
    HttpReply http = ReplyMapper.toHttp(new Reply.KeyMissing(c));
    String body = new String(http.body(), StandardCharsets.UTF_8);
    assertThat(Http.json(body).get("causal-metadata")).isEqualTo(Http.json(CausalMetadataJson.toJson(c).toString()));
    assertThat(CausalMetadataJson.fromJson(Http.json(body).get("causal-metadata"))).isEqualTo(c);
  }

  @ParameterizedTest
  @EnumSource(KvsError.class)
  void everyErrorHasItsCategoryStatusAndSentence(KvsError error) {
    int status = switch (error.category()) {
      case BAD_REQUEST -> 400;
      case NOT_FOUND -> 404;
      case UNAVAILABLE -> 503;
    };
    maps(new Reply.Failed(error), status, Json.error(error.message()).toString());
  }
}
