package io.kvs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One side's figures while the load runs. Driver threads record latencies and failures; the
 * scheduler's thread takes the latencies slice by slice and, during the measured period, adds
 * them and the slice's time and CPU to the side's totals.
 */
final class SideRecording {
  final LoadClient.Side side;
  /** The side's place in the run, as {@link RunControl#activeSide()} names it. */
  final int index;
  final List<ClientSession> sessions = new ArrayList<>();
  private final Recorder sliceLatencies = new Recorder(3);
  private final Histogram measuredLatencies = new Histogram(3);
  private final LongAdder failures = new LongAdder();
  private long failuresReported;
  private long activeNanos;
  private long cpuNanos;

  SideRecording(LoadClient.Side side, int index) {
    this.side = side;
    this.index = index;
  }

  /** Records one answered request's latency; called by driver threads. */
  void recordLatency(long sentAtNanos, long answeredAtNanos) {
    sliceLatencies.recordValue(Math.max(1, answeredAtNanos - sentAtNanos));
  }

  /** Counts an I/O failure of {@code session}'s connection; called by driver threads. */
  void recordFailure(ClientSession session, boolean measuring) {
    session.onFailure(measuring);
    if (measuring) {
      failures.increment();
    }
  }

  /** Failures counted since the previous call, for the progress line. */
  long newFailures() {
    long failed = failures.sum();
    long fresh = failed - failuresReported;
    failuresReported = failed;
    return fresh;
  }

  /** The latencies recorded since the previous call; the recorder starts afresh. */
  Histogram takeSliceLatencies() {
    return sliceLatencies.getIntervalHistogram();
  }

  /** Adds a measured slice: its latencies, how long it lasted, and the CPU time it took. */
  void addMeasuredSlice(Histogram latencies, long elapsedNanos, long sliceCpuNanos) {
    measuredLatencies.add(latencies);
    activeNanos += elapsedNanos;
    cpuNanos += sliceCpuNanos;
  }

  /** Forgets what the warm-up recorded, so that the measured period starts from nothing. */
  void resetForMeasuring() {
    sliceLatencies.reset();
    measuredLatencies.reset();
    activeNanos = 0;
  }

  /** The side's figures for the measured period, statuses summed over its sessions. */
  BenchResult result(LoadClient.Spec spec) {
    long[] statuses = new long[600];
    for (ClientSession session : sessions) {
      for (int i = 0; i < statuses.length; i++) {
        statuses[i] += session.statuses[i];
      }
    }
    return BenchResult.of(side, spec, measuredLatencies, statuses, activeNanos / 1e9, cpuNanos);
  }
}
