package io.kvs.api;

import io.kvs.core.KvsError;
import java.util.Objects;

/**
 * The one failure of kvs sessions, embedded or remote: {@link #error()} says why, and
 * {@link #isRetryable()} whether trying the same request again can help.
 *
 * <p>Blocking session methods throw it; asynchronous ones complete their future exceptionally
 * with it (as the cause of the {@link java.util.concurrent.CompletionException} that
 * {@code join()} throws).
 */
public final class KvsException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient KvsError error;

  /** An exception for {@code error}, with its contract sentence as message. */
  public KvsException(KvsError error) {
    this(error, null);
  }

  /** An exception for {@code error} caused by {@code cause} (kept for diagnosis only). */
  public KvsException(KvsError error, Throwable cause) {
    super(Objects.requireNonNull(error).message(), cause);
    this.error = error;
  }

  /** The reason, with its category (bad request, not found, unavailable). */
  public KvsError error() {
    return error;
  }

  /**
   * Whether retrying can help: true for the unavailable category (no replica reachable,
   * dependencies not met yet, node stopping, timeouts, broken connections), false for bad
   * requests and missing things, which fail the same way every time.
   */
  public boolean isRetryable() {
    return error.category() == KvsError.Category.UNAVAILABLE;
  }
}
