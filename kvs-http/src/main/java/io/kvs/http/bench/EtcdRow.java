package io.kvs.http.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * 3 kvs processes (1 shard) against a 3-member etcd, 30 connections, warm. Their one-second
 * slices alternate through the warm-up and the measurement, so both see the same machine.
 */
final class EtcdRow {
  private static final int CONNECTIONS = 30;

  private final DeployedBench bench;

  EtcdRow(DeployedBench bench) {
    this.bench = bench;
  }

  void run() {
    DeployedOptions o = bench.options();
    try (ChildProcesses kvs = bench.systems().kvs("etcd-row", 3, 1, o.logs);
         ChildProcesses etcd = bench.systems().etcd(o.logs)) {
      alternate(kvs, etcd, 0, Math.max(1, o.warmupSec / 2), "warm-up put");
      List<List<Wrk.Slice>> put = alternate(kvs, etcd, 0, o.durationSec, "put");
      List<List<Wrk.Slice>> get = alternate(kvs, etcd, 1, o.durationSec, "get");
      String where = "3 processes / 1 shard vs etcd " + "3 members, 30 conn., warm";
      bench.figure(where + ", PUT", DeployedBench.okPerSec(put.get(0)), "etcd", DeployedBench.okPerSec(put.get(1)),
          2);
      bench.figure(where + ", GET (etcd serializable)", DeployedBench.okPerSec(get.get(0)), "etcd",
          DeployedBench.okPerSec(get.get(1)), 3);
    }
  }

  private List<List<Wrk.Slice>> alternate(ChildProcesses kvs, ChildProcesses etcd, double getShare, int seconds,
                                          String label) {
    List<Wrk.Slice> k = new ArrayList<>();
    List<Wrk.Slice> e = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      k.add(bench.slice("kvs " + label, Wrk.Api.KVS, kvs.addresses, getShare, CONNECTIONS));
      e.add(bench.slice("etcd " + label, Wrk.Api.ETCD, etcd.addresses, getShare, CONNECTIONS));
    }
    return List.of(k, e);
  }
}
