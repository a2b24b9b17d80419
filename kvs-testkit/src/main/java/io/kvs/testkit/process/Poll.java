package io.kvs.testkit.process;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes. Use it instead of fixed sleeps whenever a
 * test waits for the cluster to reach a state: it returns as soon as the state is reached and fails
 * with a clear message (and the last observed value or exception) when it is not reached in time.
 *
 * <p>An exception thrown by the condition counts as "not yet" (a node that is still starting or
 * was just killed refuses connections); the last one is attached to the failure.
 */
public final class Poll {
  private static final Duration FIRST_PAUSE = Duration.ofMillis(20);
  private static final Duration MAX_PAUSE = Duration.ofMillis(250);

  private Poll() {
  }

  /**
   * Waits until {@code condition} is true.
   *
   * @param deadline the instant after which waiting fails
   * @param what what is awaited, for the failure message
   * @param condition evaluated repeatedly, with short growing pauses
   * @return how long the wait took
   * @throws AssertionError when the deadline passes first
   */
  public static Duration until(Instant deadline, String what, BooleanSupplier condition) {
    Instant start = Instant.now();
    value(deadline, what, () -> condition.getAsBoolean(), ok -> ok);
    return Duration.between(start, Instant.now());
  }

  /** {@link #until(Instant, String, BooleanSupplier)} with a deadline {@code timeout} from now. */
  public static Duration until(Duration timeout, String what, BooleanSupplier condition) {
    return until(Instant.now().plus(timeout), what, condition);
  }

  /**
   * Evaluates {@code supplier} until its value satisfies {@code accept}, and returns that value.
   *
   * @throws AssertionError when the deadline passes first; the message names {@code what} and
   *     the last value (or exception) seen
   */
  public static <T> T value(Instant deadline, String what, Supplier<T> supplier, Predicate<? super T> accept) {
    Objects.requireNonNull(deadline, "deadline");
    Instant start = Instant.now();
    long pause = FIRST_PAUSE.toMillis();
    T last = null;
    RuntimeException lastError = null;
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        last = supplier.get();
        lastError = null;
        if (accept.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      Instant now = Instant.now();
      if (!now.isBefore(deadline)) {
        String message = "Timed out after " + Duration.between(start, now).toMillis() + " ms ("
            + attempts + " attempts) waiting for: " + what
            + (lastError != null ? "; last error: " + lastError : "; last value: " + last);
        AssertionError failure = new AssertionError(message);
        if (lastError != null) {
          failure.initCause(lastError);
        }
        throw failure;
      }
      long sleep = Math.min(pause, Math.max(1, Duration.between(now, deadline).toMillis()));
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for: " + what, e);
      }
      pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
    }
  }

  /** {@link #value(Instant, String, Supplier, Predicate)} with a deadline {@code timeout} from now. */
  public static <T> T value(Duration timeout, String what, Supplier<T> supplier, Predicate<? super T> accept) {
    return value(Instant.now().plus(timeout), what, supplier, accept);
  }
}
