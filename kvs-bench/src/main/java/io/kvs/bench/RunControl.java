package io.kvs.bench;

/**
 * What the slice scheduler tells the drivers: which side may send now, whether answers count
 * (the measured period rather than the warm-up), and when to stop. Volatile because driver
 * threads read it while the scheduler's thread writes it.
 */
final class RunControl {
  private volatile boolean measuring;
  private volatile boolean stopping;
  private volatile int activeSide;

  /** True during the measured period: answers and failures count. */
  boolean measuring() {
    return measuring;
  }

  /** Starts (true) or ends (false) the measured period. */
  void setMeasuring(boolean measuring) {
    this.measuring = measuring;
  }

  /** True once the run is over: drivers finish their requests in flight and return. */
  boolean stopping() {
    return stopping;
  }

  /** Ends the run: nothing more counts, and the drivers stop. */
  void stop() {
    measuring = false;
    stopping = true;
  }

  /** The index of the side whose sessions may send now. */
  int activeSide() {
    return activeSide;
  }

  /** True when the side of index {@code sideIndex} may send now. */
  boolean isActive(int sideIndex) {
    return activeSide == sideIndex;
  }

  /** Lets the side of index {@code sideIndex}, and only it, send from now on. */
  void activate(int sideIndex) {
    activeSide = sideIndex;
  }
}
