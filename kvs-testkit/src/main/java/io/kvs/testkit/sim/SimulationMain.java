package io.kvs.testkit.sim;

import java.util.Map;
import java.util.TreeMap;

/**
 * Runs many seeds: {@code -Dkvs.sim.seeds=5000 [-Dkvs.sim.first=1] [-Dkvs.sim.durable=true]}, or replays one with a
 * full trace: {@code -Dkvs.sim.seed=N}. Prints a progress line and a summary; exits 1 on a
 * violation.
 */
public final class SimulationMain {
  private SimulationMain() {}

  public static void main(String[] args) {
    String one = System.getProperty("kvs.sim.seed");
    if (one != null) {
      System.exit(replay(Long.parseLong(one)) ? 0 : 1);
    }
    long seeds = Long.getLong("kvs.sim.seeds", 100);
    long first = Long.getLong("kvs.sim.first", 1);
    System.exit(runMany(first, seeds) == 0 ? 0 : 1);
  }

  /** {@code -Dkvs.sim.durable=true} runs every seed with data directories and disk faults. */
  static SimOptions options(long seed) {
    return Boolean.getBoolean("kvs.sim.durable") ? SimOptions.durableFromSeed(seed) : SimOptions.fromSeed(seed);
  }

  static boolean replay(long seed) {
    SimOptions o = options(seed);
    System.out.println(o);
    Simulation.Result r = Simulation.run(o, true);
    r.trace().forEach(System.out::println);
    System.out.println(r.report());
    return r.ok();
  }

  /** Runs seeds {@code first .. first+count-1}; returns the number of failing seeds. */
  static long runMany(long first, long count) {
    long started = System.nanoTime();
    long failed = 0;
    long virtualMs = 0;
    long ops = 0;
    long unavailable = 0;
    Map<String, Long> faults = new TreeMap<>();
    for (long seed = first; seed < first + count; seed++) {
      Simulation.Result r = Simulation.run(options(seed), false);
      virtualMs += r.virtualMs();
      ops += r.operations();
      unavailable += r.unavailable();
      r.faults().forEach((k, v) -> faults.merge(k, v, Long::sum));
      if (!r.ok()) {
        failed++;
        System.out.println(r.report());
      }
      long done = seed - first + 1;
      if (done % 50 == 0 || done == count) {
        System.out.printf("progress: %d/%d seeds, %d failed, %.0f s wall%n", done, count, failed,
            (System.nanoTime() - started) / 1e9);
      }
    }
    System.out.printf("summary: seeds=%d failed=%d virtual=%.1f h wall=%.0f s operations=%d unavailable=%d faults=%s%n",
        count, failed, virtualMs / 3.6e6, (System.nanoTime() - started) / 1e9, ops, unavailable, faults);
    return failed;
  }
}
