package io.kvs.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one measured run: throughput, latency percentiles (milliseconds), and the
 * count of each non-2xx status ({@code "io-error"} for failed connections).
 *
 * @param opsPerSec every answered request per second
 * @param okPerSec 2xx answers per second: the figure ratios are taken of
 * @param cpuUsPerOp CPU time of this whole JVM (client included) per answered request, in
 *     microseconds: less sensitive than ops/s to other processes competing for the cores
 * @param cpuShare the share of all cores this JVM used during the run (0..1)
 */
record BenchResult(String label, String mix, int concurrency, int targets, double seconds, long operations,
                   long ok, double opsPerSec, double okPerSec, double p50Ms, double p90Ms, double p99Ms,
                   double p999Ms, double maxMs, double cpuUsPerOp, double cpuShare, Map<String, Long> nonOk) {

  static BenchResult of(LoadClient.Side side, LoadClient.Spec spec, Histogram h, long[] statuses, double seconds,
                        long cpuNanos) {
    long ok = 0;
    long all = 0;
    Map<String, Long> nonOk = new LinkedHashMap<>();
    for (int s = 0; s < statuses.length; s++) {
      if (statuses[s] == 0) {
        continue;
      }
      all += s == 0 ? 0 : statuses[s];
      if (s >= 200 && s < 300) {
        ok += statuses[s];
      } else {
        nonOk.put(s == 0 ? "io-error" : Integer.toString(s), statuses[s]);
      }
    }
    double secs = Math.max(seconds, 1e-9);
    return new BenchResult(side.label(), mixName(spec.getRatio()), spec.concurrency(), side.targets().size(), seconds,
        all, ok, all / secs, ok / secs, LoadClient.ms(h.getValueAtPercentile(50)),
        LoadClient.ms(h.getValueAtPercentile(90)), LoadClient.ms(h.getValueAtPercentile(99)),
        LoadClient.ms(h.getValueAtPercentile(99.9)), LoadClient.ms(h.getMaxValue()),
        all == 0 || cpuNanos < 0 ? 0 : cpuNanos / 1e3 / all,
        cpuNanos < 0 ? 0 : cpuNanos / 1e9 / secs / LoadClient.CORES,
        nonOk);
  }

  static String mixName(double getRatio) {
    if (getRatio >= 1) {
      return "get";
    }
    if (getRatio <= 0) {
      return "put";
    }
    return String.format(Locale.ROOT, "%.0f%% get / %.0f%% put", getRatio * 100, (1 - getRatio) * 100);
  }

  /** One line for the console. */
  String summary() {
    return String.format(Locale.ROOT,
        "%-9s %9.0f ops/s (2xx %9.0f/s)  p50 %6.2f  p90 %6.2f  p99 %7.2f  p99.9 %7.2f ms  cpu %5.0f us/op (%.0f%%)"
            + "  non-2xx %s",
        label, opsPerSec, okPerSec, p50Ms, p90Ms, p99Ms, p999Ms, cpuUsPerOp, cpuShare * 100,
        nonOk.isEmpty() ? "none" : nonOk);
  }
}
