package io.kvs.http;

import io.kvs.core.KvsError;
import java.util.Objects;

/** A request that the store refused; {@link #error()} says why. */
public final class KvsException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient KvsError error;

  /** An exception for {@code error}, with its contract sentence as message. */
  public KvsException(KvsError error) {
    super(Objects.requireNonNull(error).message());
    this.error = error;
  }

  /** The reason, with its category (bad request, not found, unavailable). */
  public KvsError error() {
    return error;
  }
}
