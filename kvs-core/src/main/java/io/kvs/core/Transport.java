package io.kvs.core;

/**
 * Carries encoded node-to-node messages. Delivery is asynchronous and unreliable: a frame
 * may be lost, delayed, duplicated or reordered, and the node copes with all of it.
 * Frames arriving for a node go to {@link Node#receive(String, byte[])}.
 */
@FunctionalInterface
public interface Transport {
  /** Sends {@code frame} to the node at {@code address}; never blocks and never throws. */
  void send(String address, byte[] frame);
}
