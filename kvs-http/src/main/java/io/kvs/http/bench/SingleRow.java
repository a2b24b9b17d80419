package io.kvs.http.bench;

import java.util.ArrayList;
import java.util.List;

/** One kvs node process against a bare Javalin map node process, 30 connections, alternating slices. */
final class SingleRow {
  private static final int CONNECTIONS = 30;

  private final DeployedBench bench;

  SingleRow(DeployedBench bench) {
    this.bench = bench;
  }

  void run() {
    DeployedOptions o = bench.options();
    try (ChildProcesses kvs = bench.systems().kvs("single-row", 1, 0, o.logs);
         ChildProcesses base = bench.systems().baseline(o.logs)) {
      alternate(kvs, base, 0, Math.max(1, o.warmupSec / 2), "warm-up put");
      List<List<Wrk.Slice>> put = alternate(kvs, base, 0, o.durationSec, "put");
      List<List<Wrk.Slice>> get = alternate(kvs, base, 1, o.durationSec, "get");
      bench.figure("1 node vs a bare Javalin node, 30 conn., PUT", DeployedBench.okPerSec(put.get(0)), "Javalin",
          DeployedBench.okPerSec(put.get(1)), 0.9);
      bench.figure("1 node vs a bare Javalin node, 30 conn., GET", DeployedBench.okPerSec(get.get(0)), "Javalin",
          DeployedBench.okPerSec(get.get(1)), 0.9);
    }
  }

  private List<List<Wrk.Slice>> alternate(ChildProcesses kvs, ChildProcesses base, double getShare, int seconds,
                                          String label) {
    List<Wrk.Slice> k = new ArrayList<>();
    List<Wrk.Slice> b = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      k.add(bench.slice("kvs " + label, Wrk.Api.KVS, kvs.addresses, getShare, CONNECTIONS));
      b.add(bench.slice("javalin " + label, Wrk.Api.BASELINE, base.addresses, getShare, CONNECTIONS));
    }
    return List.of(k, b);
  }
}
