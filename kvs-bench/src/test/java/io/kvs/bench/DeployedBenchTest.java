package io.kvs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeployedBenchTest {
  private static List<Wrk.Slice> slices(long... perSecond) {
    List<Wrk.Slice> list = new ArrayList<>();
    for (long n : perSecond) {
      list.add(new Wrk.Slice(n, 0, 0, 1, 1, 2));
    }
    return list;
  }

  @Test
  void warmUpTimeIsWhenAThreeSecondMeanFirstReachesEightyPercent() {
    DeployedBench.Figure f = SeedRow.secondsTo80(slices(100, 300, 500, 800, 900, 1000, 1000), 1000);
    assertThat(f.kvs()).isEqualTo("6 s of load"); // at 5 s the mean is 733, at 6 s it is 900
    assertThat(f.met()).isTrue();
  }

  @Test
  void aClusterThatNeverWarmsMissesTheTarget() {
    DeployedBench.Figure f = SeedRow.secondsTo80(slices(100, 100, 100, 100), 1000);
    assertThat(f.kvs()).isEqualTo("not within 4 s");
    assertThat(f.met()).isFalse();
  }

  @Test
  void non2xxAnswersDoNotCountAsThroughput() {
    List<Wrk.Slice> s = List.of(new Wrk.Slice(1000, 400, 0, 1, 1, 2), new Wrk.Slice(1000, 0, 0, 1, 1, 2));
    assertThat(DeployedBench.okPerSec(s)).isEqualTo(800);
  }

  @Test
  void kvsScriptsFormatRequestsOnceWrkKnowsTheHost() {
    String lua = Wrk.lua(Wrk.Api.KVS, 0.5, 3, 4);
    assertThat(lua).contains("function init(args)", "wrk.format('PUT', '/kvs/k2'",
        "{\"value\":\"vvvv\",\"causal-metadata\":null}", "local share = 0.5000", "WRK %d");
    assertThat(lua.indexOf("wrk.format")).isGreaterThan(lua.indexOf("function init"));
  }

  @Test
  void etcdScriptsUseTheV3GatewayWithBase64Keys() {
    String lua = Wrk.lua(Wrk.Api.ETCD, 1, 1, 2);
    assertThat(lua).contains("'/v3/kv/range'", "{\"key\":\"azA=\",\"serializable\":true}", "'/v3/kv/put'");
  }

  @Test
  void badFlagsAreOneSentence() {
    assertThatThrownBy(() -> DeployedOptions.parse(new String[] {"--rows", "seed,redis"}))
        .hasMessage("--rows must be one of seed, etcd, single, got 'redis'");
    assertThatThrownBy(() -> DeployedOptions.parse(new String[] {"--warmup", "x"}))
        .hasMessage("--warmup must be a whole number of seconds, got 'x'");
    assertThat(DeployedOptions.parse(new String[] {"--jvm-flags", "-Xmx1g -XX:+UseSerialGC"}).jvmFlags)
        .containsExactly("-Xmx1g", "-XX:+UseSerialGC");
  }

  @Test
  void theNodeJarDefaultsToTheBuildTreesAndAMissingOneIsOneSentence() {
    // run from kvs-bench/target/classes, the default is the sibling module's shaded jar
    Path jar = DeployedOptions.parse(new String[0]).nodeJar;
    assertThat(jar.getFileName()).hasToString("kvs-node.jar");
    assertThat(jar.getParent()).endsWith(Path.of("kvs-http", "target"));
    assertThat(jar.getParent().getParent().resolveSibling("kvs-bench")).isDirectory();

    Path missing = Path.of("no-such-dir", "kvs-node.jar");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int status = DeployedBench.run(new String[] {"--node-jar", missing.toString()},
        new PrintStream(buffer, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(1);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).startsWith("bench: --deployed starts each node from"
        + " kvs-node.jar, which is not at " + missing + " (build it with mvn package, or give --node-jar PATH)");
  }
}
