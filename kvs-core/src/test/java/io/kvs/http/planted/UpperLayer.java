package io.kvs.http.planted;

/** Stands for a class of a module built on kvs-core, which kvs-core must never use (PurityTest). */
public final class UpperLayer {
  private UpperLayer() {}

  public static int answer() {
    return 42;
  }
}
