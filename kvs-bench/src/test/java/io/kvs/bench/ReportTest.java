package io.kvs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final BenchResult KVS = new BenchResult("kvs", "get", 32, 1, 10.0, 6030, 6000, 603.0, 600.0, 1.234,
      2.5, 9.876, 20.0, 31.0, 45.6, 0.7, Map.of("503", 30L));
  private static final BenchResult BASELINE = new BenchResult("baseline", "get", 32, 1, 10.0, 10000, 10000, 1000.0,
      1000.0, 0.5, 1.0, 2.0, 3.0, 4.0, 30.0, 0.6, Map.of());

  private static String[] lines(List<ResultRow> rows) {
    return Report.markdownTable(rows).split("\n");
  }

  @Test
  void rowWithBaselineAndMetTarget() {
    ResultRow row = new ResultRow("GET (C=32)", KVS, BASELINE, 0.5, 20.0);

    assertThat(lines(List.of(row))[2]).isEqualTo("| GET (C=32) | 600 | 1.23 | 2.50 | 9.88 | 20.00 | {503=30} | 46"
        + " | 1000 | 0.50 | 2.00 | 30 | 0.60 | ≥ 0.50×, p99 ≤ 20 ms | yes |");
  }

  @Test
  void rowThatMissesItsLatencyTargetIsNotMet() {
    ResultRow row = new ResultRow("GET (C=32)", KVS, BASELINE, 0.5, 5.0);

    assertThat(lines(List.of(row))[2]).endsWith("| 0.60 | ≥ 0.50×, p99 ≤ 5 ms | **no** |");
  }

  @Test
  void rowWithoutBaselineHasDashes() {
    BenchResult clean = new BenchResult("kvs", "put", 2, 1, 1.0, 10, 10, 10.0, 10.0, 1, 1, 1, 1, 1, 100, 0.1,
        Map.of());
    ResultRow row = new ResultRow("put, 1 node, C=2", clean, null, null, null);

    assertThat(lines(List.of(row))).containsExactly(
        "| figure | kvs ops/s | p50 | p90 | p99 | p99.9 | non-2xx | cpu µs/op | baseline ops/s | baseline p50 |"
            + " baseline p99 | baseline cpu µs/op | ratio | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
        "| put, 1 node, C=2 | 10 | 1.00 | 1.00 | 1.00 | 1.00 | none | 100 | - | - | - | - | - | - | - |");
  }

  @Test
  void jsonRowCarriesBothSidesAndNullsForWhatIsMissing() throws Exception {
    JsonNode json = new ObjectMapper().readTree(Report.json("--mix get", List.of(
        new ResultRow("with", KVS, BASELINE, 0.5, null), new ResultRow("without", KVS, null, null, null)), null));

    assertThat(json.get("command").textValue()).isEqualTo("java -jar kvs-bench.jar --mix get");
    JsonNode with = json.get("rows").get(0);
    assertThat(with.get("ratio").doubleValue()).isEqualTo(0.6);
    assertThat(with.get("met").booleanValue()).isTrue();
    assertThat(with.get("kvs").get("non-2xx").get("503").longValue()).isEqualTo(30);
    assertThat(with.get("baseline").get("ok-per-sec").doubleValue()).isEqualTo(1000.0);
    JsonNode without = json.get("rows").get(1);
    assertThat(without.get("baseline").isNull()).isTrue();
    assertThat(without.get("ratio").isNull()).isTrue();
    assertThat(without.get("met").isNull()).isTrue();
    assertThat(json.has("memory")).isFalse();
  }
}
