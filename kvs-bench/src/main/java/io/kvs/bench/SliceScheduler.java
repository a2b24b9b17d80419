package io.kvs.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The clock of a load run: the warm-up, then the measured period, cut in slices (one second
 * with one side; {@code --slice-ms} when baseline and kvs alternate). At each slice's end it
 * adds the active side's latencies, time and CPU to its figures (when measuring), prints a
 * progress line, and lets the next side send.
 */
final class SliceScheduler {
  /** A slice cut shorter than this (the phase ended just after it began) gives no sensible rate. */
  private static final double MIN_REPORTED_SLICE_SEC = 0.05;

  private final List<SideRecording> sides;
  private final RunControl control;
  private final PrintStream out;
  private final Runnable wakeDrivers;
  private final long sliceNanos;
  private final long warmupNanos;
  private final long durationNanos;
  private long startNanos;
  private long sliceStartNanos;
  private long sliceStartCpuNanos;

  /**
   * @param wakeDrivers run after each slice, so that drivers waiting in a select start the
   *     next side at once rather than after their select times out
   */
  SliceScheduler(LoadClient.Spec spec, List<SideRecording> sides, RunControl control, PrintStream out,
                 Runnable wakeDrivers) {
    this.sides = sides;
    this.control = control;
    this.out = out;
    this.wakeDrivers = wakeDrivers;
    this.sliceNanos = sides.size() == 1 ? 1_000_000_000L : Math.max(50, spec.sliceMs()) * 1_000_000L;
    this.warmupNanos = (long) (spec.warmupSec() * 1e9);
    this.durationNanos = (long) (spec.durationSec() * 1e9);
  }

  /** Runs until the measured period is over, or returns early with the interrupt flag set. */
  void run() {
    startNanos = System.nanoTime();
    long warmupEndNanos = startNanos + warmupNanos;
    long endNanos = warmupEndNanos + durationNanos;
    sliceStartNanos = startNanos;
    sliceStartCpuNanos = LoadClient.processCpuNanos();
    control.setMeasuring(warmupEndNanos <= startNanos);
    try {
      while (true) {
        long nowNanos = System.nanoTime();
        long phaseEndNanos = control.measuring() ? endNanos : warmupEndNanos;
        long wakeNanos = Math.min(sliceStartNanos + sliceNanos, phaseEndNanos);
        if (wakeNanos > nowNanos) {
          Thread.sleep(Math.max(1, (wakeNanos - nowNanos + 999_999) / 1_000_000L));
        } else if (!endSlice(nowNanos, phaseEndNanos)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the active side's slice; false when that slice ended the measured period. */
  private boolean endSlice(long nowNanos, long phaseEndNanos) {
    SideRecording side = sides.get(control.activeSide());
    Histogram latencies = side.takeSliceLatencies();
    long elapsedNanos = nowNanos - sliceStartNanos;
    long sliceCpuNanos = LoadClient.processCpuNanos() - sliceStartCpuNanos;
    if (control.measuring()) {
      side.addMeasuredSlice(latencies, elapsedNanos, sliceCpuNanos);
    }
    printProgress(side, latencies, nowNanos, elapsedNanos, sliceCpuNanos);
    if (nowNanos >= phaseEndNanos) {
      if (control.measuring()) {
        return false;
      }
      sides.forEach(SideRecording::resetForMeasuring);
      control.setMeasuring(true);
    }
    control.activate((control.activeSide() + 1) % sides.size());
    sliceStartNanos = System.nanoTime();
    sliceStartCpuNanos = LoadClient.processCpuNanos();
    wakeDrivers.run();
    return true;
  }

  private void printProgress(SideRecording side, Histogram latencies, long nowNanos, long elapsedNanos,
                             long sliceCpuNanos) {
    long failures = side.newFailures();
    double seconds = elapsedNanos / 1e9;
    if (seconds <= MIN_REPORTED_SLICE_SEC) {
      return;
    }
    out.printf(Locale.ROOT,
        "[%s] %-6s %5.1fs %9.0f ops/s  p50 %6.2f ms  p99 %7.2f ms  cpu %4.0f%% of %d cores  failures %d%n",
        side.side.label(), control.measuring() ? "run" : "warmup", (nowNanos - startNanos) / 1e9,
        latencies.getTotalCount() / seconds, LoadClient.ms(latencies.getValueAtPercentile(50)),
        LoadClient.ms(latencies.getValueAtPercentile(99)),
        100.0 * sliceCpuNanos / elapsedNanos / LoadClient.CORES, LoadClient.CORES, failures);
  }
}
