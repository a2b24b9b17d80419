package io.kvs.http;

/** A request reached a node that has been stopped or is stopping. */
final class NodeStoppedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  NodeStoppedException() {
    super("The node is shutting down; try again later");
  }
}
