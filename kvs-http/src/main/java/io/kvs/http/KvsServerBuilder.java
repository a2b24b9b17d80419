package io.kvs.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvs.api.spi.JsonValues;
import io.kvs.core.Addresses;
import io.kvs.core.NodeSettings;
import java.util.List;
import java.util.Objects;

/**
 * Configures and starts a {@link KvsServer}. Only {@link #address} is required; everything
 * else has a default suited to a LAN.
 *
 * <p>A node's address is its identity in the view. With port 0 ({@code 127.0.0.1:0}) the node
 * listens on a free port and its address becomes the bound one, which {@link KvsServer#address()}
 * reports. Since no view can name such a node before it is bound, port 0 goes either without a
 * view (a single node) or through {@link #bind()}, which binds first and takes the view after.
 */
public final class KvsServerBuilder implements Cloneable {
  /** Default limit of a client request body: 1 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
  /** Default limit of a node-to-node frame: 256 MiB (shard transfers travel in one frame). */
  public static final long DEFAULT_MAX_FRAME_BYTES = 256L << 20;
  /**
   * Default of {@link #idleTimeoutMs}: 30 s, longer than the 15 s after which a peer closes a
   * keep-alive connection it no longer uses, so that peers rarely find theirs closed under them.
   */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
  /** Default of {@link #maxConnections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;

  String address;
  List<String> view;
  Integer shardCount;
  NodeSettings settings = NodeSettings.defaults();
  String listenHost;
  long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  long maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  /** Plain key requests skip Javalin ({@link KvsFastPath}); off with -Dkvs.kv.fastPath=false, or in tests. */
  boolean kvFastPath = !"false".equals(System.getProperty("kvs.kv.fastPath"));
  String clusterSecret;
  /** Null for the system's; tests stand in for DNS with their own. */
  HostResolver hostResolver;
  java.nio.file.Path dataDir;
  io.kvs.core.DurabilitySettings durability = io.kvs.core.DurabilitySettings.defaults();
  ObjectMapper objectMapper = JsonValues.defaultMapper();
  boolean httpListener = true;
  TlsMaterial tls;
  long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  int maxConnections = DEFAULT_MAX_CONNECTIONS;

  /** The name of a node without an HTTP listener when {@link #address} is not given. */
  public static final String IN_PROCESS_ADDRESS = "127.0.0.1:8090";

  KvsServerBuilder() {}

  /**
   * The address other nodes reach this node at ({@code IP:PORT}); its port is the HTTP port, and
   * port 0 picks a free one (see the class comment).
   */
  public KvsServerBuilder address(String address) {
    this.address = address;
    return this;
  }

  /** The initial view; must contain {@link #address}. Defaults to this node alone. */
  public KvsServerBuilder view(List<String> view) {
    this.view = List.copyOf(view);
    return this;
  }

  /** The shard count of a new cluster; null (the default) starts without one. */
  public KvsServerBuilder shardCount(Integer shardCount) {
    this.shardCount = shardCount;
    return this;
  }

  /** Timing settings; defaults to {@link NodeSettings#defaults()}. */
  public KvsServerBuilder settings(NodeSettings settings) {
    this.settings = Objects.requireNonNull(settings);
    return this;
  }

  /** The interface to listen on; defaults to the host of {@link #address}. Use 0.0.0.0 for all. */
  public KvsServerBuilder listenHost(String listenHost) {
    this.listenHost = listenHost;
    return this;
  }

  /** Largest client request body accepted; larger ones get 413. */
  public KvsServerBuilder maxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  /** Largest node-to-node frame accepted. */
  public KvsServerBuilder maxFrameBytes(long maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  /** A shared secret every node-to-node request must carry; null (the default) for none. */
  public KvsServerBuilder clusterSecret(String clusterSecret) {
    this.clusterSecret = clusterSecret == null || clusterSecret.isEmpty() ? null : clusterSecret;
    return this;
  }

  /**
   * The node's data directory: with one, the node logs every change there, comes back from it
   * after a restart or power loss, and acknowledges writes as {@link #durability} says. Without
   * one (the default) it keeps everything in memory. Each node needs its own directory.
   */
  public KvsServerBuilder dataDir(java.nio.file.Path dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  /** The fsync policy and how many replicas a write needs; defaults to fsync always, one replica. */
  public KvsServerBuilder durability(io.kvs.core.DurabilitySettings durability) {
    this.durability = Objects.requireNonNull(durability);
    return this;
  }

  /**
   * The mapper of {@link KvsServer#openSession() sessions'} values; defaults to Jackson's
   * defaults plus java.time support ({@link JsonValues#defaultMapper()}). The HTTP contract's
   * own JSON does not use it.
   */
  public KvsServerBuilder objectMapper(ObjectMapper objectMapper) {
    this.objectMapper = Objects.requireNonNull(objectMapper, "the ObjectMapper must not be null");
    return this;
  }

  /**
   * Whether the node serves HTTP (default true). Without a listener the node is reachable only
   * through {@link KvsServer#openSession()} in this JVM, and since its peers could not reach it
   * either, its view must be itself alone. Its {@link #address} is then only its name (defaults
   * to {@link #IN_PROCESS_ADDRESS}); nothing listens on it.
   */
  public KvsServerBuilder httpListener(boolean httpListener) {
    this.httpListener = httpListener;
    return this;
  }

  /**
   * Serves HTTPS instead of HTTP, and talks HTTPS to peers, with the certificate chain in
   * {@code certFile} (PEM) and its private key in {@code keyFile} (unencrypted PKCS#8 PEM, RSA
   * or EC). Peers are trusted when they present this same certificate (a cluster sharing one);
   * use {@link #tls(java.nio.file.Path, java.nio.file.Path, java.nio.file.Path)} to trust a CA
   * instead. The certificate must name the node's IP (or host) among its subject alternative
   * names, since peers verify it. The files are read now, once.
   *
   * @throws IllegalArgumentException with one sentence when a file is missing or malformed, or
   *     the key does not belong to the certificate
   */
  public KvsServerBuilder tls(java.nio.file.Path certFile, java.nio.file.Path keyFile) {
    return tls(certFile, keyFile, null);
  }

  /**
   * As {@link #tls(java.nio.file.Path, java.nio.file.Path)}, trusting the certificates in
   * {@code caFile} (a PEM bundle) for peers; null trusts the node's own certificate.
   */
  public KvsServerBuilder tls(java.nio.file.Path certFile, java.nio.file.Path keyFile, java.nio.file.Path caFile) {
    return tls(TlsMaterial.load(Objects.requireNonNull(certFile, "the certificate file must not be null"),
        Objects.requireNonNull(keyFile, "the key file must not be null"), caFile, TlsMaterial.Names.BUILDER));
  }

  /** TLS material already read (by {@link Environment}, which names its variables in errors); null for none. */
  KvsServerBuilder tls(TlsMaterial material) {
    this.tls = material;
    return this;
  }

  /**
   * How long a client connection may stay silent before the node closes it (default
   * {@value #DEFAULT_IDLE_TIMEOUT_MS}): an idle keep-alive connection, or one that sends its
   * request too slowly; a request head must also arrive whole within it, however it trickles.
   * A request the node is working on (a write waiting for replicas) is not cut by it.
   */
  public KvsServerBuilder idleTimeoutMs(long idleTimeoutMs) {
    this.idleTimeoutMs = idleTimeoutMs;
    return this;
  }

  /**
   * Most connections the node holds open at once (default {@value #DEFAULT_MAX_CONNECTIONS});
   * beyond it, new connections wait unanswered until one closes. Each peer holds up to two.
   */
  public KvsServerBuilder maxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
    return this;
  }

  /**
   * Builds the node, starts listening and starts the node.
   *
   * @throws IllegalArgumentException with one clear sentence when the configuration is wrong
   * @throws IllegalStateException when the server cannot listen on its port
   */
  public KvsServer start() {
    if (!httpListener) {
      return NodeRuntime.start(inProcess(), null);
    }
    checkListening();
    if (port() == 0 && view != null) {
      throw new IllegalArgumentException("a view cannot name a node on port 0 before it is bound: "
          + "leave the view out for a single node, or call bind() and give the view to BoundPort.start");
    }
    return startOn(HttpListener.bind(effectiveListenHost(), port()), view);
  }

  /**
   * Binds the HTTP port now (a free one for port 0) without starting the node, so that its
   * address is known before the view is: see {@link BoundPort}. A {@link #view} set here is ignored.
   *
   * @throws IllegalArgumentException with one clear sentence when the configuration is wrong
   * @throws IllegalStateException when the port cannot be bound
   */
  public BoundPort bind() {
    if (!httpListener) {
      throw new IllegalArgumentException("a node without an HTTP listener has no port to bind");
    }
    checkListening();
    return new Binding(copy(), HttpListener.bind(effectiveListenHost(), port()));
  }

  /** Starts this configuration on {@code listener}, with the bound address; the view defaults to it alone. */
  KvsServer startOn(HttpListener listener, List<String> view) {
    KvsServerBuilder resolved = copy();
    resolved.address = address.substring(0, address.lastIndexOf(':') + 1) + listener.port();
    resolved.view = view == null ? List.of(resolved.address) : List.copyOf(view);
    try {
      return NodeRuntime.start(resolved, listener);
    } catch (RuntimeException e) {
      listener.close();
      throw e;
    }
  }

  private void checkListening() {
    checkLimits();
    boolean portZero = address != null && address.endsWith(":0");
    String checked = portZero ? address.substring(0, address.length() - 1) + "1" : address;
    if (!Addresses.valid(checked)) {
      throw new IllegalArgumentException("the node address must look like IP:PORT");
    }
    if (portZero && holdsData(dataDir)) {
      throw new IllegalArgumentException("data directory " + dataDir + " holds a node's data, which must "
          + "restart on the address it had, not on port 0");
    }
  }

  private KvsServerBuilder inProcess() {
    checkLimits();
    KvsServerBuilder resolved = copy();
    resolved.address = address == null ? IN_PROCESS_ADDRESS : address;
    if (!Addresses.valid(resolved.address)) {
      throw new IllegalArgumentException("the node address must look like IP:PORT with a port from 1 to 65535");
    }
    if (view != null && !view.equals(List.of(resolved.address))) {
      throw new IllegalArgumentException("a node without an HTTP listener can neither reach peers nor be "
          + "reached, so its view must be itself alone");
    }
    resolved.view = List.of(resolved.address);
    return resolved;
  }

  private void checkLimits() {
    if (maxBodyBytes < 1 || maxFrameBytes < 1) {
      throw new IllegalArgumentException("body and frame limits must be positive");
    }
    if (idleTimeoutMs < 1 || maxConnections < 1) {
      throw new IllegalArgumentException("the idle timeout and the connection limit must be positive");
    }
  }

  private static boolean holdsData(java.nio.file.Path dir) {
    if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
      return false;
    }
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      return files.anyMatch(f -> !f.getFileName().toString().equals("LOCK"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private KvsServerBuilder copy() {
    try {
      // every field at once: a copy listing them by hand once dropped two (BuilderCopyLostSettingsTest)
      return (KvsServerBuilder) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  /** The listen host: the explicit one, else the host of the address. */
  String effectiveListenHost() {
    return listenHost != null ? listenHost : address.substring(0, address.lastIndexOf(':'));
  }

  /** The HTTP port, taken from the address. */
  int port() {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
