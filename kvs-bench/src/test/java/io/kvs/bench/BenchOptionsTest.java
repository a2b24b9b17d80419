package io.kvs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchOptionsTest {
  private static BenchOptions parse(String... args) {
    return BenchOptions.parse(args);
  }

  @Test
  void defaults() {
    BenchOptions options = parse();

    assertThat(options.scenario).isEqualTo("single");
    assertThat(options.getRatio).isEqualTo(1.0);
    assertThat(options.keys()).isEqualTo(1000);
    assertThat(options.valueSize()).isEqualTo(16);
    assertThat(options.concurrency).isEqualTo(32);
    assertThat(options.warmupSec()).isEqualTo(10);
    assertThat(options.durationSec).isEqualTo(10);
    assertThat(options.baseline).isTrue();
    assertThat(options.client).isEqualTo("nio");
    assertThat(options.sliceMs).isEqualTo(1000);
    assertThat(options.report).isNull();
  }

  @Test
  void defaultsDependOnTheMode() {
    assertThat(parse("--scenario", "table").warmupSec()).isEqualTo(15);
    BenchOptions memory = parse("--memory");
    assertThat(memory.keys()).isEqualTo(1_000_000);
    assertThat(memory.valueSize()).isEqualTo(100);
  }

  @Test
  void flagsAreTakenIn() {
    BenchOptions options = parse("--mix", "0.25", "--keys", "50", "--concurrency", "4", "--duration", "2.5",
        "--warmup", "0", "--nodes", "4", "--shards", "2", "--no-baseline", "--client", "blocking",
        "--client-threads", "3", "--slice-ms", "250", "--report", "out/r.json");

    assertThat(options.getRatio).isEqualTo(0.25);
    assertThat(options.keys()).isEqualTo(50);
    assertThat(options.concurrency).isEqualTo(4);
    assertThat(options.durationSec).isEqualTo(2.5);
    assertThat(options.warmupSec()).isZero();
    assertThat(options.nodes).isEqualTo(4);
    assertThat(options.shards).isEqualTo(2);
    assertThat(options.baseline).isFalse();
    assertThat(options.client).isEqualTo("blocking");
    assertThat(options.clientThreads).isEqualTo(3);
    assertThat(options.sliceMs).isEqualTo(250);
    assertThat(options.report).isEqualTo("out/r.json");
  }

  @Test
  void mixNamesAreShares() {
    assertThat(parse("--mix", "get").getRatio).isEqualTo(1.0);
    assertThat(parse("--mix", "PUT").getRatio).isEqualTo(0.0);
    assertThat(parse("--mix", "mixed").getRatio).isEqualTo(0.5);
  }

  @Test
  void tooSmallValueSizeAndSliceAreRaisedToTheLeastUsable() {
    BenchOptions options = parse("--value-size", "1", "--slice-ms", "10");

    assertThat(options.valueSize()).isEqualTo(2);
    assertThat(options.sliceMs).isEqualTo(50);
  }

  @Test
  void targetsAreTrimmed() {
    assertThat(parse("--targets", "127.0.0.1:8080, 127.0.0.2:8081").targets)
        .isEqualTo(List.of("127.0.0.1:8080", "127.0.0.2:8081"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--mix sideways | --mix must be get, put, mixed or a share of GETs from 0 to 1, got 'sideways'",
      "--mix 1.5 | --mix must be get, put, mixed or a share of GETs from 0 to 1, got '1.5'",
      "--keys 0 | --keys must be a positive integer, got '0'",
      "--concurrency ten | --concurrency must be a positive integer, got 'ten'",
      "--duration 0 | --duration must be a number of seconds, got '0'",
      "--warmup -1 | --warmup must be a number of seconds, got '-1'",
      "--scenario all | --scenario must be one of single, table, got 'all'",
      "--client fast | --client must be one of nio, blocking, got 'fast'",
      "--targets 127.0.0.1 | --targets takes IP:PORT addresses separated by commas, got '127.0.0.1'",
      "--keys | --keys needs a value",
      "stray | unknown argument stray",
      "--frobnicate 1 | unknown option --frobnicate",
      "--nodes 3 --shards 2 | --shards 2 needs at least 4 nodes",
      "--report results.txt | --report must name a .md or .json file",
      "--baseline disk | --baseline must be one of javalin, memory, got 'disk'",
      "--baseline memory | --baseline memory compares in-process clusters: it needs --data-dir and no --targets"})
  void badFlagsAreRefusedWithOneSentence(String args, String message) {
    assertThatThrownBy(() -> parse(args.split(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void shardsNeedNoNodeCountWhenTargetsAreGiven() {
    assertThat(parse("--shards", "2", "--targets", "127.0.0.1:1").shards).isEqualTo(2);
  }

  @Test
  void helpAsksForTheUsage() {
    assertThatThrownBy(() -> parse("--help")).hasMessage(BenchOptions.USAGE);
    assertThatThrownBy(() -> parse("-h")).hasMessageStartingWith("usage: java -jar kvs-bench.jar");
  }
}
