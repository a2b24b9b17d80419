package io.kvs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seed's workload on 6 processes / 2 shards, 8 connections, PUT then GET: in the first
 * seconds after the cluster formed (cold), and again after a PUT warm-up. The PUT slices from
 * the start also tell how many seconds of load the JVMs need to reach 80% of warm throughput.
 */
final class SeedRow {
  private static final int CONNECTIONS = 8;

  private final DeployedBench bench;

  SeedRow(DeployedBench bench) {
    this.bench = bench;
  }

  void run() {
    DeployedOptions o = bench.options();
    try (ChildProcesses kvs = bench.systems().kvs("seed-row", 6, 2, o.logs)) {
      List<String> t = kvs.addresses;
      List<Wrk.Slice> coldPut = bench.slices("cold put", Wrk.Api.KVS, t, 0, CONNECTIONS, o.durationSec);
      List<Wrk.Slice> coldGet = bench.slices("cold get", Wrk.Api.KVS, t, 1, CONNECTIONS, o.durationSec);
      List<Wrk.Slice> warmup = bench.slices("warm-up put", Wrk.Api.KVS, t, 0, CONNECTIONS, o.warmupSec);
      List<Wrk.Slice> warmPut = bench.slices("warm put", Wrk.Api.KVS, t, 0, CONNECTIONS, o.durationSec);
      List<Wrk.Slice> warmGet = bench.slices("warm get", Wrk.Api.KVS, t, 1, CONNECTIONS, o.durationSec);
      String where = "6 processes / 2 shards, 8 conn.";
      bench.figure(where + ", PUT, first " + o.durationSec + " s", DeployedBench.okPerSec(coldPut), "seed",
          DeployedBench.SEED_COLD_PUT, 20);
      bench.figure(where + ", GET, next " + o.durationSec + " s", DeployedBench.okPerSec(coldGet), "seed",
          DeployedBench.SEED_COLD_GET, 20);
      bench.figure(where + ", PUT, after " + o.warmupSec + " s warm-up", DeployedBench.okPerSec(warmPut), "seed",
          DeployedBench.SEED_WARM_PUT, 50);
      bench.figure(where + ", GET, warm", DeployedBench.okPerSec(warmGet), "seed", DeployedBench.SEED_WARM_GET, 50);
      List<Wrk.Slice> puts = new ArrayList<>(coldPut);
      puts.addAll(warmup);
      puts.addAll(warmPut);
      bench.figure(secondsTo80(puts, DeployedBench.okPerSec(warmPut)));
    }
  }

  /** Seconds of PUT load until a 3-second mean first reaches 80% of the warm figure. */
  static DeployedBench.Figure secondsTo80(List<Wrk.Slice> puts, double warm) {
    int reached = -1;
    for (int i = 2; i < puts.size() && reached < 0; i++) {
      if (DeployedBench.okPerSec(puts.subList(i - 2, i + 1)) >= 0.8 * warm) {
        reached = i + 1;
      }
    }
    String value = reached < 0 ? "not within " + puts.size() + " s" : reached + " s of load";
    return new DeployedBench.Figure("cold → 80% of warm PUT throughput (3 s mean), 6 processes", value,
        String.format(Locale.ROOT, "80%% of %.0f/s", warm), null, "≤ 10 s", reached > 0 && reached <= 10);
  }
}
