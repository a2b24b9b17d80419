package io.kvs.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Looks up a peer's host name. A peer's address is looked up again for every new connection, so
 * a node that comes back on another IP under the same name (a Kubernetes pod) is reached there.
 * The system resolver by default; tests inject their own.
 */
@FunctionalInterface
interface HostResolver {
  /** The system's resolver (the JVM caches answers for {@code networkaddress.cache.ttl}). */
  HostResolver SYSTEM = InetAddress::getByName;

  /** The address {@code host} stands for now. */
  InetAddress resolve(String host) throws UnknownHostException;
}
