package io.kvs.core;

import static io.kvs.core.VectorClockTest.vc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {

  // ---------------------------------------------------------------- sample values

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final CausalContext CTX = CausalContext.of(3, Map.of(0, vc("10.0.0.1:8090", 4, "10.0.0.2:8090", 1),
      2, vc("10.0.0.5:8090", 7)));

  static final CausalContext CTX_EPOCH_ONLY = CausalContext.of(5, Map.of());

  static ClusterState sampleState() {
    TreeMap<String, MemberRecord> records = new TreeMap<>();
    records.put("10.0.0.1:8090", new MemberRecord("10.0.0.1:8090", MemberRecord.Status.UP, 0, "inc-1", 3, 12,
        "10.0.0.1:8090"));
    records.put("10.0.0.2:8090", new MemberRecord("10.0.0.2:8090", MemberRecord.Status.DOWN, -1, "", 2, 0, ""));
    records.put("10.0.0.3:8090", new MemberRecord("10.0.0.3:8090", MemberRecord.Status.LEFT, 1, "ïñç", 3,
        Long.MAX_VALUE, "10.0.0.9:8090"));
    return new ClusterState(3, 2, records);
  }

  static DotSet sampleDots() {
    DotSet dots = new DotSet();
    dots.add("a", 1);
    dots.add("a", 2);
    dots.add("a", 5);
    dots.add("a", 9);
    dots.add("b", 1);
    dots.add("c", 4);
    return dots;
  }

  static List<Msg.Item> sampleItems() {
    return List.of(
        new Msg.Item("k1", new StoredValue(utf8("{\"x\":1}"), 5, "10.0.0.1:8090")),
        new Msg.Item("", new StoredValue(new byte[0], 0, "")),
        new Msg.Item("ключ-🔑", StoredValue.tombstone(Long.MAX_VALUE, "10.0.0.2:8090")),
        new Msg.Item("neg", new StoredValue(new byte[] {0, -1, 127, -128}, -1, "w")));
  }

  // ---------------------------------------------------------------- comparison helpers

  /** Encodes, decodes, checks the type and that re-encoding the decoded message gives the same bytes. */
  @SuppressWarnings("unchecked")
  static <T extends Msg> T roundTrip(T msg) {
    byte[] frame = MessageCodec.encode(msg);
    Msg decoded = MessageCodec.decode(frame);
    assertThat(decoded).isInstanceOf(msg.getClass());
    assertThat(MessageCodec.encode(decoded)).as("re-encoding is byte-identical").isEqualTo(frame);
    return (T) decoded;
  }

  static void assertSameValue(StoredValue actual, StoredValue expected) {
    assertThat(Arrays.equals(actual.value(), expected.value()))
        .as("value bytes %s vs %s", Arrays.toString(actual.value()), Arrays.toString(expected.value()))
        .isTrue();
    assertThat(actual.isTombstone()).isEqualTo(expected.isTombstone());
    assertThat(actual.lamport()).isEqualTo(expected.lamport());
    assertThat(actual.writer()).isEqualTo(expected.writer());
  }

  static void assertSameItems(List<Msg.Item> actual, List<Msg.Item> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).key()).isEqualTo(expected.get(i).key());
      assertSameValue(actual.get(i).value(), expected.get(i).value());
    }
  }

  static void assertSameDots(DotSet actual, DotSet expected) {
    assertThat(actual.clock()).isEqualTo(expected.clock());
    assertThat(actual.gaps()).isEqualTo(expected.gaps());
  }

  static void assertSameState(ClusterState actual, ClusterState expected) {
    assertThat(actual.epoch).isEqualTo(expected.epoch);
    assertThat(actual.shardCount).isEqualTo(expected.shardCount);
    assertThat(actual.records).isEqualTo(expected.records);
    assertThat(actual).isEqualTo(expected);
  }

  static void assertSameRequest(Request actual, Request expected) {
    assertThat(actual).isInstanceOf(expected.getClass());
    if (expected instanceof Request.Put p) {
      Request.Put a = (Request.Put) actual;
      assertThat(a.key()).isEqualTo(p.key());
      assertThat(Arrays.equals(a.value(), p.value())).as("put value").isTrue();
      assertThat(a.context()).isEqualTo(p.context());
    } else {
      assertThat(actual).isEqualTo(expected); // the other variants hold no arrays
    }
  }

  static void assertSameReply(Reply actual, Reply expected) {
    if (expected == null) {
      assertThat(actual).isNull();
      return;
    }
    assertThat(actual).isInstanceOf(expected.getClass());
    if (expected instanceof Reply.Kv kv) {
      Reply.Kv a = (Reply.Kv) actual;
      assertThat(a.outcome()).isEqualTo(kv.outcome());
      assertThat(Arrays.equals(a.value(), kv.value())).as("kv value").isTrue();
      assertThat(a.context()).isEqualTo(kv.context());
      assertThat(a.shardId()).isEqualTo(kv.shardId());
    } else {
      assertThat(actual).isEqualTo(expected);
    }
  }

  // ---------------------------------------------------------------- every Msg type

  @Nested
  class RoundTripEveryMessageType {
    @Test
    void gossip() {
      Map<String, Long> heard = new LinkedHashMap<>();
      heard.put("10.0.0.3:8090", 1500L);
      heard.put("10.0.0.2:8090", 0L);
      heard.put("10.0.0.4:8090", Long.MAX_VALUE);
      for (boolean wantsReply : new boolean[] {true, false}) {
        Msg.Gossip msg = new Msg.Gossip("inc-42", sampleState(), heard, wantsReply);
        Msg.Gossip back = roundTrip(msg);
        assertThat(back.incarnation()).isEqualTo("inc-42");
        assertSameState(back.state(), msg.state());
        assertThat(back.heardAgoMs()).isEqualTo(heard);
        assertThat(back.wantsReply()).isEqualTo(wantsReply);
      }
    }

    @Test
    void gossipWithEmptyStateAndNothingHeard() {
      Msg.Gossip msg = new Msg.Gossip("", new ClusterState(0, 1, Map.of()), Map.of(), false);
      Msg.Gossip back = roundTrip(msg);
      assertThat(back.incarnation()).isEmpty();
      assertSameState(back.state(), msg.state());
      assertThat(back.heardAgoMs()).isEmpty();
    }

    @Test
    void gossipOfAFreshClusterState() {
      List<String> view = List.of("10.0.0.1:8090", "10.0.0.2:8090", "10.0.0.3:8090", "10.0.0.4:8090");
      ClusterState state = ClusterState.initial(view, 2, "10.0.0.2:8090", "abc");
      Msg.Gossip back = roundTrip(new Msg.Gossip("abc", state, Map.of(), true));
      assertSameState(back.state(), state);
    }

    @Test
    void forward() {
      Msg.Forward msg = new Msg.Forward(-7, new Request.Get("k", CTX));
      Msg.Forward back = roundTrip(msg);
      assertThat(back.id()).isEqualTo(-7);
      assertSameRequest(back.request(), msg.request());
    }

    @Test
    void forwardReply() {
      for (boolean refused : new boolean[] {true, false}) {
        Msg.ForwardReply msg = new Msg.ForwardReply(Long.MAX_VALUE, refused, new Reply.KeyCount(3));
        Msg.ForwardReply back = roundTrip(msg);
        assertThat(back.id()).isEqualTo(Long.MAX_VALUE);
        assertThat(back.refused()).isEqualTo(refused);
        assertSameReply(back.reply(), msg.reply());
      }
    }

    @Test
    void replicate() {
      Msg.Item item = sampleItems().get(0);
      Msg.Replicate msg = new Msg.Replicate(11, 3, 2, item, "10.0.0.1:8090", 99, CTX);
      Msg.Replicate back = roundTrip(msg);
      assertThat(back.id()).isEqualTo(11);
      assertThat(back.epoch()).isEqualTo(3);
      assertThat(back.shard()).isEqualTo(2);
      assertSameItems(List.of(back.item()), List.of(item));
      assertThat(back.writer()).isEqualTo("10.0.0.1:8090");
      assertThat(back.counter()).isEqualTo(99);
      assertThat(back.deps()).isEqualTo(CTX);
    }

    @Test
    void replicateOfATombstone() {
      Msg.Item item = new Msg.Item("gone", StoredValue.tombstone(8, "w"));
      Msg.Replicate back = roundTrip(new Msg.Replicate(1, 0, 0, item, "w", 1, CausalContext.none()));
      assertThat(back.item().value().isTombstone()).isTrue();
      assertThat(back.item().value().value()).isNull();
      assertThat(back.deps()).isEqualTo(CausalContext.none());
    }

    @Test
    void replicateAck() {
      assertThat(roundTrip(new Msg.ReplicateAck(123456789012L)).id()).isEqualTo(123456789012L);
    }

    @Test
    void syncRequest() {
      long[] digest = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 42};
      Msg.SyncRequest back = roundTrip(new Msg.SyncRequest(5, 2, 1, digest, sampleDots()));
      assertThat(back.id()).isEqualTo(5);
      assertThat(back.epoch()).isEqualTo(2);
      assertThat(back.shard()).isEqualTo(1);
      assertThat(Arrays.equals(back.digest(), digest)).isTrue();
      assertSameDots(back.have(), sampleDots());
    }

    @Test
    void syncRequestWithEmptyDigest() {
      assertThat(roundTrip(new Msg.SyncRequest(5, 2, 1, new long[0], new DotSet())).digest()).isEmpty();
    }

    @Test
    void syncReply() {
      for (boolean caughtUp : new boolean[] {true, false}) {
        Msg.SyncReply msg = new Msg.SyncReply(6, 3, 1, caughtUp, sampleItems(), sampleDots(), CTX);
        Msg.SyncReply back = roundTrip(msg);
        assertThat(back.id()).isEqualTo(6);
        assertThat(back.epoch()).isEqualTo(3);
        assertThat(back.shard()).isEqualTo(1);
        assertThat(back.caughtUp()).isEqualTo(caughtUp);
        assertSameItems(back.items(), msg.items());
        assertSameDots(back.dots(), msg.dots());
        assertThat(back.dots().clock()).isEqualTo(vc("a", 2, "b", 1));
        assertThat(back.dots().gaps()).containsOnlyKeys("a", "c");
        assertThat(back.deps()).isEqualTo(CTX);
      }
    }

    @Test
    void syncReplyWithNothing() {
      Msg.SyncReply back = roundTrip(new Msg.SyncReply(0, 0, 0, false, List.of(), new DotSet(),
          CTX_EPOCH_ONLY));
      assertThat(back.items()).isEmpty();
      assertSameDots(back.dots(), new DotSet());
      assertThat(back.deps()).isEqualTo(CTX_EPOCH_ONLY);
      assertThat(back.deps().epoch()).isEqualTo(5);
    }

    @Test
    void pull() {
      Msg.Pull back = roundTrip(new Msg.Pull(12, 3, 1, sampleDots()));
      assertThat(back.id()).isEqualTo(12);
      assertThat(back.epoch()).isEqualTo(3);
      assertThat(back.shard()).isEqualTo(1);
      assertSameDots(back.have(), sampleDots());
    }

    @Test
    void pullReply() {
      Msg.PullReply msg = new Msg.PullReply(13, 3, 1, sampleItems(), sampleDots(), CTX);
      Msg.PullReply back = roundTrip(msg);
      assertThat(back.id()).isEqualTo(13);
      assertThat(back.epoch()).isEqualTo(3);
      assertThat(back.shard()).isEqualTo(1);
      assertSameItems(back.items(), msg.items());
      assertSameDots(back.dots(), msg.dots());
      assertThat(back.deps()).isEqualTo(CTX);
    }

    @Test
    void reshardPrepare() {
      Msg.ReshardPrepare back = roundTrip(new Msg.ReshardPrepare(4, 9));
      assertThat(back.id()).isEqualTo(4);
      assertThat(back.newEpoch()).isEqualTo(9);
    }

    @Test
    void reshardData() {
      Msg.ReshardData back = roundTrip(new Msg.ReshardData(8, sampleItems()));
      assertThat(back.id()).isEqualTo(8);
      assertSameItems(back.items(), sampleItems());
    }

    @Test
    void reshardInstall() {
      Msg.ReshardInstall back = roundTrip(new Msg.ReshardInstall(10, sampleState(), sampleItems()));
      assertThat(back.id()).isEqualTo(10);
      assertSameState(back.state(), sampleState());
      assertSameItems(back.items(), sampleItems());
    }

    @Test
    void reshardInstalled() {
      assertThat(roundTrip(new Msg.ReshardInstalled(-1)).id()).isEqualTo(-1);
    }

    @Test
    void reshardAbort() {
      assertThat(roundTrip(new Msg.ReshardAbort(77)).id()).isEqualTo(77);
    }

    @Test
    void handoff() {
      Msg.Handoff back = roundTrip(new Msg.Handoff(7, 3, sampleItems()));
      assertThat(back.epoch()).isEqualTo(7);
      assertThat(back.shard()).isEqualTo(3);
      assertSameItems(back.items(), sampleItems());
    }

    @Test
    void leaving() {
      assertThat(roundTrip(new Msg.Leaving("4fc42bc61aa4a449")).incarnation()).isEqualTo("4fc42bc61aa4a449");
    }

    @Test
    void handoffOfNoItems() {
      assertThat(roundTrip(new Msg.Handoff(7, 3, List.of())).items()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- every Request and Reply

  static Stream<Request> forwardedRequests() {
    return Stream.of(
        new Request.Put("k", utf8("{\"a\":[1,2]}"), CTX),
        new Request.Put("empty-value", new byte[0], CausalContext.none()),
        new Request.Put("null-value", null, CTX_EPOCH_ONLY),
        new Request.Put("ключ", utf8("\"ünïcødé 🎉\""), CTX),
        new Request.Get("k", CausalContext.none()),
        new Request.Get("", CTX),
        new Request.Delete("k", CTX),
        new Request.Delete("d", CTX_EPOCH_ONLY),
        new Request.KeyCount(0),
        new Request.KeyCount(17));
  }

  @ParameterizedTest
  @MethodSource("forwardedRequests")
  void everyForwardedRequestRoundTrips(Request request) {
    Msg.Forward back = roundTrip(new Msg.Forward(3, request));
    assertThat(back.id()).isEqualTo(3);
    assertSameRequest(back.request(), request);
  }

  @Test
  void membershipRequestsAreNotForwarded() {
    for (Request r : List.of(new Request.AddToView("1.2.3.4:5"), new Request.RemoveFromView("1.2.3.4:5"),
        new Request.AddMember(1, "1.2.3.4:5"), new Request.Reshard(2))) {
      assertThatThrownBy(() -> MessageCodec.encode(new Msg.Forward(1, r)))
          .as("%s", r).isInstanceOf(IllegalArgumentException.class);
    }
  }

  static Stream<Reply> replies() {
    List<Reply> all = new ArrayList<>();
    for (Reply.KvOutcome outcome : Reply.KvOutcome.values()) {
      byte[] value = outcome == Reply.KvOutcome.FOUND ? utf8("[\"v\"]") : null;
      all.add(new Reply.Kv(outcome, value, CTX, 2));
    }
    all.add(new Reply.Kv(Reply.KvOutcome.FOUND, new byte[0], CausalContext.none(), 0));
    all.add(new Reply.KeyMissing(CTX));
    all.add(new Reply.KeyMissing(CausalContext.none()));
    all.add(new Reply.KeyCount(0));
    all.add(new Reply.KeyCount(Long.MAX_VALUE));
    for (Reply.Done done : Reply.Done.values()) {
      all.add(new Reply.Ok(done));
    }
    for (KvsError error : KvsError.values()) {
      all.add(new Reply.Failed(error));
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("replies")
  void everyReplyRoundTrips(Reply reply) {
    Msg.ForwardReply back = roundTrip(new Msg.ForwardReply(9, false, reply));
    assertThat(back.id()).isEqualTo(9);
    assertThat(back.refused()).isFalse();
    assertSameReply(back.reply(), reply);
  }

  @Test
  void aRefusalWithoutAReplyRoundTrips() {
    Msg.ForwardReply back = roundTrip(new Msg.ForwardReply(9, true, null));
    assertThat(back.refused()).isTrue();
    assertThat(back.reply()).isNull();
  }

  // ---------------------------------------------------------------- malformed frames

  static Stream<Arguments> sampleMessages() {
    Map<String, Long> heard = Map.of("10.0.0.3:8090", 1500L);
    return Stream.of(
        new Msg.Gossip("inc", sampleState(), heard, true),
        new Msg.Forward(1, new Request.Put("k", utf8("1"), CTX)),
        new Msg.Forward(1, new Request.Get("k", CTX)),
        new Msg.Forward(1, new Request.Delete("k", CTX)),
        new Msg.Forward(1, new Request.KeyCount(1)),
        new Msg.ForwardReply(2, false, new Reply.Kv(Reply.KvOutcome.FOUND, utf8("1"), CTX, 1)),
        new Msg.ForwardReply(2, false, new Reply.KeyMissing(CTX)),
        new Msg.ForwardReply(2, false, new Reply.KeyCount(4)),
        new Msg.ForwardReply(2, false, new Reply.Ok(Reply.Done.RESHARDED)),
        new Msg.ForwardReply(2, false, new Reply.Failed(KvsError.BUSY)),
        new Msg.Replicate(3, 1, 0, sampleItems().get(0), "w", 1, CTX),
        new Msg.ReplicateAck(4),
        new Msg.SyncRequest(5, 1, 0, new long[] {1, 2}, sampleDots()),
        new Msg.SyncReply(6, 1, 0, true, sampleItems(), sampleDots(), CTX),
        new Msg.Pull(12, 1, 0, sampleDots()),
        new Msg.PullReply(13, 1, 0, sampleItems(), sampleDots(), CTX),
        new Msg.ReshardPrepare(7, 2),
        new Msg.ReshardData(8, sampleItems()),
        new Msg.ReshardInstall(9, sampleState(), sampleItems()),
        new Msg.ReshardInstalled(10),
        new Msg.ReshardAbort(11),
        new Msg.Leaving("4fc42bc61aa4a449"),
        new Msg.Handoff(2, 1, sampleItems())
    ).map(m -> Arguments.of(m.getClass().getSimpleName(), m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleMessages")
  void everyTruncationIsMalformed(String name, Msg msg) {
    byte[] frame = MessageCodec.encode(msg);
    for (int len = 0; len < frame.length; len++) {
      byte[] cut = Arrays.copyOf(frame, len);
      assertThatThrownBy(() -> MessageCodec.decode(cut))
          .as("%s cut to %d of %d bytes", name, len, frame.length)
          .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleMessages")
  void trailingBytesAreMalformed(String name, Msg msg) {
    byte[] frame = MessageCodec.encode(msg);
    for (int extra : new int[] {1, 8}) {
      byte[] longer = Arrays.copyOf(frame, frame.length + extra);
      assertThatThrownBy(() -> MessageCodec.decode(longer))
          .as("%s plus %d bytes", name, extra)
          .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleMessages")
  void describeNamesTheMessageType(String name, Msg msg) {
    assertThat(MessageCodec.describe(MessageCodec.encode(msg))).isEqualTo(name);
  }

  @Test
  void describeReportsMalformedFramesInsteadOfThrowing() {
    assertThat(MessageCodec.describe(new byte[0])).startsWith("malformed(");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 127, 255})
  void unknownVersionIsMalformed(int version) {
    byte[] frame = MessageCodec.encode(new Msg.ReplicateAck(1));
    frame[0] = (byte) version;
    assertThatThrownBy(() -> MessageCodec.decode(frame))
        .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
  }

  @Test
  void theSamplesCoverEveryMessageTypeWithDistinctTypeBytes() {
    List<Class<?>> sampled = new ArrayList<>();
    TreeSet<Integer> typeBytes = new TreeSet<>();
    sampleMessages().forEach(a -> {
      Msg m = (Msg) a.get()[1];
      sampled.add(m.getClass());
      typeBytes.add(MessageCodec.encode(m)[1] & 0xff);
    });
    assertThat(sampled).containsAll(List.of(Msg.class.getPermittedSubclasses()));
    assertThat(typeBytes).hasSize(Msg.class.getPermittedSubclasses().length).doesNotContain(0, 99, 255);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 99, 255})
  void unknownMessageTypeIsMalformed(int type) {
    byte[] frame = MessageCodec.encode(new Msg.ReplicateAck(1));
    frame[1] = (byte) type;
    assertThatThrownBy(() -> MessageCodec.decode(frame))
        .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5, 255})
  void unknownRequestTypeIsMalformed(int type) {
    byte[] frame = new FrameWriter().u8(1).u8(2).i64(1).u8(type).i32(0).toBytes();
    assertThatThrownBy(() -> MessageCodec.decode(frame))
        .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {6, 255})
  void unknownReplyTypeIsMalformed(int type) {
    byte[] frame = new FrameWriter().u8(1).u8(3).i64(1).bool(false).u8(type).toBytes();
    assertThatThrownBy(() -> MessageCodec.decode(frame))
        .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
  }

  @Test
  void outOfRangeEnumOrdinalsAreMalformed() {
    byte[] outcome = new FrameWriter().u8(1).u8(3).i64(1).bool(false)
        .u8(1).u8(Reply.KvOutcome.values().length).bytes(null).context(CausalContext.none()).i32(0).toBytes();
    byte[] done = new FrameWriter().u8(1).u8(3).i64(1).bool(false).u8(4).u8(200).toBytes();
    byte[] error = new FrameWriter().u8(1).u8(3).i64(1).bool(false).u8(5).u8(KvsError.values().length).toBytes();
    for (byte[] frame : List.of(outcome, done, error)) {
      assertThatThrownBy(() -> MessageCodec.decode(frame))
          .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
    }
  }

  @Test
  void unknownMemberStatusIsMalformed() {
    FrameWriter w = new FrameWriter().u8(1).u8(1).str("inc").i64(1).i32(1).i32(1);
    w.str("a:1").u8(MemberRecord.Status.values().length).i32(0).str("").i64(1).i64(0).str("");
    byte[] frame = w.bool(false).i32(0).toBytes();
    assertThatThrownBy(() -> MessageCodec.decode(frame))
        .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
  }

  @Test
  void hugeClaimedElementCountsAreMalformedWithoutAllocating() {
    List<byte[]> frames = List.of(
        // Handoff with 2^31-1 items
        new FrameWriter().u8(1).u8(12).i64(1).i32(0).i32(Integer.MAX_VALUE).toBytes(),
        // SyncRequest claiming 2^31-1 digest entries
        new FrameWriter().u8(1).u8(6).i64(1).i64(1).i32(0).i32(Integer.MAX_VALUE).toBytes(),
        // Gossip whose state claims 2^31-1 records
        new FrameWriter().u8(1).u8(1).str("i").i64(1).i32(1).i32(Integer.MAX_VALUE).toBytes(),
        // Gossip whose heard-from map claims 2^31-1 entries
        new FrameWriter().u8(1).u8(1).str("i").i64(0).i32(1).i32(0).bool(true).i32(Integer.MAX_VALUE).toBytes(),
        // Forward Get whose context claims 2^31-1 shards
        new FrameWriter().u8(1).u8(2).i64(1).u8(2).str("k").i64(1).i32(Integer.MAX_VALUE).toBytes(),
        // ... and one shard whose clock claims 2^31-1 writers
        new FrameWriter().u8(1).u8(2).i64(1).u8(2).str("k").i64(1).i32(1).i32(0).i32(Integer.MAX_VALUE).toBytes(),
        // SyncReply whose dot gaps claim 2^31-1 writers
        new FrameWriter().u8(1).u8(7).i64(1).i64(1).i32(0).bool(true).i32(0).i32(0)
            .i32(Integer.MAX_VALUE).toBytes(),
        // ... and one writer with 2^31-1 dots
        new FrameWriter().u8(1).u8(7).i64(1).i64(1).i32(0).bool(true).i32(0).i32(0)
            .i32(1).str("w").i32(Integer.MAX_VALUE).toBytes(),
        // negative counts
        new FrameWriter().u8(1).u8(12).i64(1).i32(0).i32(-5).toBytes(),
        new FrameWriter().u8(1).u8(6).i64(1).i64(1).i32(0).i32(Integer.MIN_VALUE).toBytes());
    for (byte[] frame : frames) {
      assertThatThrownBy(() -> MessageCodec.decode(frame))
          .as(Arrays.toString(frame))
          .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
    }
  }

  @Test
  void byteLengthsBeyondTheFrameAreMalformed() {
    // A Put whose value claims more bytes than the frame holds, and a negative length other than -1.
    for (int length : new int[] {5, 1 << 20, -2, Integer.MIN_VALUE}) {
      byte[] frame = new FrameWriter().u8(1).u8(2).i64(1).u8(1).str("k").i32(length).u8(0).toBytes();
      assertThatThrownBy(() -> MessageCodec.decode(frame))
          .as("length %d", length)
          .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
    }
  }

  // ---------------------------------------------------------------- known bugs (see report)

  @Test
  void randomlyCorruptedFramesEitherDecodeOrAreMalformed() {
    java.util.Random rnd = new java.util.Random(1); // fixed seed: reproducible
    sampleMessages().forEach(a -> {
      byte[] frame = MessageCodec.encode((Msg) a.get()[1]);
      for (int i = 0; i < 2_000; i++) {
        byte[] bad = frame.clone();
        int flips = 1 + rnd.nextInt(3);
        for (int k = 0; k < flips; k++) {
          bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
        }
        try {
          MessageCodec.decode(bad);
        } catch (FrameReader.MalformedFrameException expected) {
          // dropped by the node, as intended
        } catch (Throwable t) {
          throw new AssertionError(a.get()[0] + " corrupted to " + Arrays.toString(bad) + " threw " + t, t);
        }
      }
    });
  }


  @Test
  void aByteLengthOfIntegerMaxIsMalformedNotOutOfMemory() {
    byte[] frame = new FrameWriter().u8(1).u8(2).i64(1).u8(1).str("k").i32(Integer.MAX_VALUE).u8(0).toBytes();
    assertThatThrownBy(() -> MessageCodec.decode(frame))
        .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
  }

  @Test
  void aReplicateWithoutAnItemIsMalformed() {
    byte[] frame = new FrameWriter().u8(1).u8(4).i64(1).i64(1).i32(0).i32(0)
        .str("w").i64(1).context(CausalContext.none()).toBytes();
    assertThatThrownBy(() -> MessageCodec.decode(frame))
        .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
  }

  @Test
  void invalidClockOrContextValuesAreMalformed() {
    List<byte[]> frames = List.of(
        // Forward Get, context epoch 1, shard 0, writer "w" with counter -1
        new FrameWriter().u8(1).u8(2).i64(1).u8(2).str("k").i64(1).i32(1).i32(0).i32(1).str("w").i64(-1).toBytes(),
        // ... writer ""
        new FrameWriter().u8(1).u8(2).i64(1).u8(2).str("k").i64(1).i32(1).i32(0).i32(1).str("").i64(1).toBytes(),
        // ... negative epoch
        new FrameWriter().u8(1).u8(2).i64(1).u8(2).str("k").i64(-1).i32(0).toBytes(),
        // ... negative shard id
        new FrameWriter().u8(1).u8(2).i64(1).u8(2).str("k").i64(1).i32(1).i32(-1).i32(1).str("w").i64(1).toBytes());
    for (byte[] frame : frames) {
      assertThatThrownBy(() -> MessageCodec.decode(frame))
          .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
    }
  }

  @Test
  void nullStringsWhereMapKeysAreExpectedAreMalformed() {
    List<byte[]> frames = List.of(
        // clock writer null
        new FrameWriter().u8(1).u8(2).i64(1).u8(2).str("k").i64(1).i32(1).i32(0).i32(1).str(null).i64(1).toBytes(),
        // gossip heard-from address null
        new FrameWriter().u8(1).u8(1).str("i").i64(0).i32(1).i32(0).bool(true).i32(1).str(null).i64(5).toBytes(),
        // member record address null
        new FrameWriter().u8(1).u8(1).str("i").i64(0).i32(1).i32(1)
            .str(null).u8(0).i32(0).str("").i64(0).i64(0).str("").bool(true).i32(0).toBytes(),
        // dot-gap writer null
        new FrameWriter().u8(1).u8(7).i64(1).i64(1).i32(0).bool(true).i32(0).i32(0)
            .i32(1).str(null).i32(1).i64(3).context(CausalContext.none()).toBytes());
    for (byte[] frame : frames) {
      assertThatThrownBy(() -> MessageCodec.decode(frame))
          .isExactlyInstanceOf(FrameReader.MalformedFrameException.class);
    }
  }
}
