package io.kvs.http;

import java.util.List;

/**
 * A node whose HTTP port is bound but which has not started: its {@link #address()} is known,
 * so a test can bind several nodes on port 0 and then give each the view of them all.
 *
 * <pre>{@code
 * List<BoundPort> ports = new ArrayList<>();
 * for (int i = 0; i < 3; i++) {
 *   ports.add(KvsServer.builder().address("127.0.0.1:0").bind());
 * }
 * List<String> view = ports.stream().map(BoundPort::address).toList();
 * List<KvsServer> nodes = ports.stream().map(p -> p.start(view)).toList();
 * }</pre>
 *
 * Until {@link #start} the kernel queues connections to the port; nothing answers them.
 */
public interface BoundPort extends AutoCloseable {
  /** The node's address with the bound port, e.g. {@code 127.0.0.1:41237}: its identity in the view. */
  String address();

  /**
   * Builds and starts the node with {@code view}, which must contain {@link #address()}.
   *
   * @throws IllegalArgumentException when the view is wrong
   * @throws IllegalStateException when this port was already started or closed
   */
  KvsServer start(List<String> view);

  /** Releases the port if the node never started; does nothing after {@link #start}. */
  @Override
  void close();
}
