package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
  private static final Map<String, String> GOOD = Map.of("SOCKET_ADDRESS", "10.0.0.2:8090",
      "VIEW", "10.0.0.2:8090, 10.0.0.3:8090,10.0.0.4:8090,10.0.0.5:8090");

  private static Map<String, String> with(String name, String value) {
    Map<String, String> env = new HashMap<>(GOOD);
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return env;
  }

  private static void fails(Map<String, String> env, String message) {
    assertThatThrownBy(() -> new Environment(env).nodeBuilder())
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void readsAGoodEnvironment() {
    KvsServerBuilder b = new Environment(with("SHARD_COUNT", "2")).nodeBuilder();
    assertThat(b.address).isEqualTo("10.0.0.2:8090");
    assertThat(b.view).hasSize(4).contains("10.0.0.3:8090");
    assertThat(b.shardCount).isEqualTo(2);
    assertThat(b.effectiveListenHost()).isEqualTo("0.0.0.0");
    assertThat(b.port()).isEqualTo(8090);
    assertThat(b.maxBodyBytes).isEqualTo(1 << 20);
    assertThat(new Environment(GOOD).nodeBuilder().shardCount).isNull();
    assertThat(new Environment(with("KVS_LISTEN_HOST", "127.0.0.3")).nodeBuilder().effectiveListenHost())
        .isEqualTo("127.0.0.3");
  }

  @Test
  void eachProblemIsOneSentenceNamingTheVariable() {
    fails(with("SOCKET_ADDRESS", null), "SOCKET_ADDRESS is required: the IP:PORT other nodes reach this node at");
    fails(with("SOCKET_ADDRESS", "10.0.0.2"), "SOCKET_ADDRESS must look like IP:PORT, got '10.0.0.2'");
    fails(with("VIEW", null), "VIEW is required: a comma-separated list of IP:PORT addresses");
    fails(with("VIEW", "10.0.0.2:8090,,"), "VIEW entry '' must look like IP:PORT");
    fails(with("VIEW", "10.0.0.3:8090"), "VIEW must contain SOCKET_ADDRESS 10.0.0.2:8090");
    fails(with("SHARD_COUNT", "x"), "SHARD_COUNT must be a positive integer, got 'x'");
    fails(with("SHARD_COUNT", "0"), "SHARD_COUNT must be a positive integer, got '0'");
    fails(with("KVS_MAX_BODY_BYTES", "-5"), "KVS_MAX_BODY_BYTES must be a positive integer, got '-5'");
    assertThatThrownBy(() -> new Environment(with("KVS_DEPENDENCY_WAIT_MS", "soon")).nodeBuilder())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("KVS_DEPENDENCY_WAIT_MS");
  }

  @Test
  void localClusterFlags() {
    List<KvsServerBuilder> nodes = LocalCluster.parse(new String[] {"--local", "6", "--shards", "2"}, Map.of());
    assertThat(nodes).hasSize(6);
    assertThat(nodes.get(0).address).isEqualTo("127.0.0.1:8082");
    assertThat(nodes.get(5).address).isEqualTo("127.0.0.1:8087");
    assertThat(nodes.get(5).view).hasSize(6);
    assertThat(nodes.get(0).shardCount).isEqualTo(2);
    assertThat(LocalCluster.parse(new String[] {"--local", "2", "--base-port", "9000"}, Map.of()).get(1).address)
        .isEqualTo("127.0.0.1:9001");
    assertThatThrownBy(() -> LocalCluster.parse(new String[] {"--local"}, Map.of()))
        .hasMessageStartingWith("--local needs a value");
    assertThatThrownBy(() -> LocalCluster.parse(new String[] {"--local", "x"}, Map.of()))
        .hasMessage("--local must be a positive integer, got 'x'");
    assertThatThrownBy(() -> LocalCluster.parse(new String[] {"--shards", "2"}, Map.of()))
        .hasMessageStartingWith("--local is required");
    assertThatThrownBy(() -> LocalCluster.parse(new String[] {"--bogus", "2"}, Map.of()))
        .hasMessageStartingWith("unknown option --bogus");
  }

  @Test
  void readsTheDataDirectoryAndDurability() {
    KvsServerBuilder b = new Environment(with("KVS_DATA_DIR", "/var/lib/kvs")).nodeBuilder();
    assertThat(b.dataDir).isEqualTo(java.nio.file.Path.of("/var/lib/kvs"));
    assertThat(new Environment(GOOD).nodeBuilder().dataDir).isNull();
    Map<String, String> env = with("KVS_FSYNC", "interval");
    env.put("KVS_FSYNC_INTERVAL_MS", "250");
    env.put("KVS_MIN_ACK_REPLICAS", "2");
    KvsServerBuilder d = new Environment(env).nodeBuilder();
    assertThat(d.durability).isEqualTo(new io.kvs.core.DurabilitySettings(io.kvs.core.FsyncPolicy.INTERVAL, 250, 2));
    fails(with("KVS_FSYNC", "sometimes"), "KVS_FSYNC must be always, interval or never, got 'sometimes'");
    fails(with("KVS_MIN_ACK_REPLICAS", "0"), "KVS_MIN_ACK_REPLICAS must be a positive integer, got '0'");
  }

  @Test
  void localClusterGivesEachNodeItsOwnDataDirectory() {
    List<KvsServerBuilder> nodes = LocalCluster.parse(new String[] {"--local", "2", "--data-dir", "/tmp/kvs"}, Map.of());
    assertThat(nodes.get(0).dataDir).isEqualTo(java.nio.file.Path.of("/tmp/kvs/node-8082"));
    assertThat(nodes.get(1).dataDir).isEqualTo(java.nio.file.Path.of("/tmp/kvs/node-8083"));
    assertThat(LocalCluster.parse(new String[] {"--local", "2"}, Map.of()).get(0).dataDir).isNull();
  }
}
