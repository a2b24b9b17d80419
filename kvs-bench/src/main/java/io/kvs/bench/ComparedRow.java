package io.kvs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * kvs against another system, 30 connections, warm: a PUT warm-up, then PUT and GET, with the
 * two systems' one-second slices alternating throughout, so that both see the same machine.
 */
final class ComparedRow {
  private static final int CONNECTIONS = 30;

  /** What a row compares: the kvs cluster, the other system, and the targets. */
  record Spec(String figure, int nodes, int shards, String otherLabel, Wrk.Api otherApi, String getNote,
              double putTarget, double getTarget) {}

  private final DeployedBench bench;
  private final Spec spec;
  private final Supplier<ChildProcesses> other;

  ComparedRow(DeployedBench bench, Spec spec, Supplier<ChildProcesses> other) {
    this.bench = bench;
    this.spec = spec;
    this.other = other;
  }

  /** 3 processes / 1 shard against a 3-member etcd. */
  static ComparedRow etcd(DeployedBench bench) {
    return new ComparedRow(bench, new Spec("3 processes / 1 shard vs etcd 3 members, 30 conn., warm", 3, 1, "etcd",
        Wrk.Api.ETCD, " (etcd serializable)", 2, 3), () -> bench.systems().etcd(bench.options().logs));
  }

  /** One node against a bare Javalin map node. */
  static ComparedRow single(DeployedBench bench) {
    return new ComparedRow(bench, new Spec("1 node vs a bare Javalin node, 30 conn.", 1, 0, "Javalin",
        Wrk.Api.BASELINE, "", 0.9, 0.9), () -> bench.systems().baseline(bench.options().logs));
  }

  void run() {
    DeployedOptions o = bench.options();
    String name = spec.otherLabel().toLowerCase(java.util.Locale.ROOT) + "-row";
    try (ChildProcesses kvs = bench.systems().kvs(name, spec.nodes(), spec.shards(), o.logs);
         ChildProcesses base = other.get()) {
      alternate(kvs, base, 0, Math.max(1, o.warmupSec / 2), "warm-up put");
      List<List<Wrk.Slice>> put = alternate(kvs, base, 0, o.durationSec, "put");
      List<List<Wrk.Slice>> get = alternate(kvs, base, 1, o.durationSec, "get");
      bench.figure(spec.figure() + ", PUT", DeployedBench.okPerSec(put.get(0)), spec.otherLabel(),
          DeployedBench.okPerSec(put.get(1)), spec.putTarget());
      bench.figure(spec.figure() + ", GET" + spec.getNote(), DeployedBench.okPerSec(get.get(0)), spec.otherLabel(),
          DeployedBench.okPerSec(get.get(1)), spec.getTarget());
    }
  }

  private List<List<Wrk.Slice>> alternate(ChildProcesses kvs, ChildProcesses base, double getShare, int seconds,
                                          String label) {
    List<Wrk.Slice> k = new ArrayList<>();
    List<Wrk.Slice> b = new ArrayList<>();
    String otherName = spec.otherLabel().toLowerCase(java.util.Locale.ROOT);
    for (int s = 0; s < seconds; s++) {
      k.add(bench.slice("kvs " + label, Wrk.Api.KVS, kvs.addresses, getShare, CONNECTIONS));
      b.add(bench.slice(otherName + " " + label, spec.otherApi(), base.addresses, getShare, CONNECTIONS));
    }
    return List.of(k, b);
  }
}
