package io.kvs.core;

/** Facts about encoded node-to-node frames, for transports, tracing and fault injection. */
public final class Frames {
  private Frames() {}

  /**
   * The message kind a frame carries, such as {@code "Gossip"}, {@code "Replicate"} or
   * {@code "SyncRequest"}; {@code "malformed(...)"} for bytes that do not decode.
   */
  public static String kind(byte[] frame) {
    return MessageCodec.describe(frame);
  }
}
