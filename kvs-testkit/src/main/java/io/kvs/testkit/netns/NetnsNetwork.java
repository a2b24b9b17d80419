package io.kvs.testkit.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A private test network of Linux network namespaces: one namespace per node slot, each joined
 * by a veth pair to one bridge in the root namespace, on {@value #SUBNET}.0/24 (bridge
 * {@value #SUBNET}.1, which is how the root namespace reaches the nodes; slot {@code i} is
 * {@value #SUBNET}.(i+2)). Nothing here can leave the machine: a blackhole route for the range is
 * added in the root namespace before anything else (and removed last), and the namespaces get no
 * default route.
 *
 * <p>Faults, each removable:
 * <ul>
 *   <li>{@link #partition}: iptables DROP rules in the nodes' namespaces between two groups of
 *       nodes; the root namespace (the clients) still reaches every node.</li>
 *   <li>{@link #linkDown}: the node's veth set down on the root side: the node is cut off from
 *       everything, clients included.</li>
 *   <li>{@link #setLoss}: random packet loss (iptables {@code statistic} match) on every packet a
 *       node receives.</li>
 * </ul>
 *
 * <p>Every object created carries the prefix {@value #PREFIX} ({@code kvsf-n<i>} namespaces,
 * {@code kvsfv<i>} veths, {@code kvsfbr0} bridge, {@code KVSF_*} chains); {@link #create} first
 * removes leftovers of a crashed run with that prefix, and {@link #close()} removes everything.
 * A file lock keeps two test JVMs from using the network at once.
 */
public final class NetnsNetwork implements AutoCloseable {
  /** Prefix of every namespace, link and chain created. */
  public static final String PREFIX = "kvsf";
  /** The first three octets of the private range. */
  public static final String SUBNET = "10.77.0";
  /** The range, blackholed in the root namespace while the network exists. */
  public static final String RANGE = SUBNET + ".0/24";
  /** The bridge in the root namespace. */
  public static final String BRIDGE = PREFIX + "br0";
  /** The port every node listens on. */
  public static final int PORT = 8090;

  private static final String BLACKHOLE_METRIC = "1000";
  private static final String PARTITION_CHAIN = "KVSF_PART";
  private static final String LOSS_CHAIN = "KVSF_LOSS";
  private static final String RULE_COMMENT = PREFIX + "-bridge";
  private static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"), PREFIX + "-netns.lock");

  private final String ip;
  private final String iptables;
  private final int slots;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Thread shutdownHook;
  private boolean closed;

  private NetnsNetwork(String ip, String iptables, int slots, FileChannel lockChannel, FileLock lock) {
    this.ip = ip;
    this.iptables = iptables;
    this.slots = slots;
    this.lockChannel = lockChannel;
    this.lock = lock;
    // On JVM exit without close(): end the node JVMs still inside our namespaces (started by this
    // harness; they would otherwise outlive us in unnamed namespaces), then remove everything.
    this.shutdownHook = new Thread(this::removeLeftovers, PREFIX + "-network-cleanup");
  }

  /**
   * Why this machine cannot run namespace tests, or empty when it can: needs root and the
   * {@code ip} (iproute2) and {@code iptables} commands.
   */
  public static Optional<String> unsupportedReason() {
    List<String> missing = new ArrayList<>();
    if (!Command.isRoot()) {
      missing.add("root");
    }
    if (Command.which("ip").isEmpty()) {
      missing.add("'ip' (apt-get install -y iproute2)");
    }
    if (Command.which("iptables").isEmpty()) {
      missing.add("'iptables' (apt-get install -y iptables)");
    }
    return missing.isEmpty() ? Optional.empty() : Optional.of("needs " + String.join(", ", missing));
  }

  /**
   * Creates the network with {@code slots} node namespaces (slot {@code i} gets address
   * {@link #address(int)}), after removing leftovers of an earlier run.
   *
   * @throws IllegalStateException when a command fails (everything created is removed first)
   */
  public static NetnsNetwork create(int slots) {
    if (slots < 1 || slots > 200) {
      throw new IllegalArgumentException("slots must be 1..200: " + slots);
    }
    String reason = unsupportedReason().orElse(null);
    if (reason != null) {
      throw new IllegalStateException("Network namespaces unavailable: " + reason);
    }
    FileChannel channel;
    FileLock lock;
    try {
      channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = channel.lock();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock " + LOCK_FILE, e);
    }
    NetnsNetwork net = new NetnsNetwork(Command.which("ip").orElseThrow().toString(),
        Command.which("iptables").orElseThrow().toString(), slots, channel, lock);
    try {
      net.removeLeftovers();
      net.build();
      Runtime.getRuntime().addShutdownHook(net.shutdownHook);
      return net;
    } catch (RuntimeException e) {
      net.removeAll();
      net.releaseLock();
      throw e;
    }
  }

  private void build() {
    // 1. Nothing may leave the machine, even while (or after) the bridge is gone.
    Command.run(ip, "route", "add", "blackhole", RANGE, "metric", BLACKHOLE_METRIC);
    // 2. The bridge, reachable from the root namespace at .1.
    Command.run(ip, "link", "add", BRIDGE, "type", "bridge", "forward_delay", "0", "stp_state", "0");
    Command.run(ip, "addr", "add", SUBNET + ".1/24", "dev", BRIDGE);
    Command.run(ip, "link", "set", BRIDGE, "up");
    // With br_netfilter, bridged frames cross the root FORWARD chain: let ours through if its policy drops.
    if (!Command.tryRun(iptables, "-S", "FORWARD").output().contains("-P FORWARD ACCEPT")) {
      Command.run(iptables, "-I", "FORWARD", "-i", BRIDGE, "-o", BRIDGE, "-m", "comment", "--comment",
          RULE_COMMENT, "-j", "ACCEPT");
    }
    // 3. One namespace per slot.
    for (int i = 0; i < slots; i++) {
      String ns = namespace(i);
      String veth = rootVeth(i);
      String peer = PREFIX + "p" + i;
      Command.run(ip, "netns", "add", ns);
      Command.run(ip, "link", "add", veth, "type", "veth", "peer", "name", peer);
      Command.run(ip, "link", "set", peer, "netns", ns);
      Command.run(ip, "link", "set", veth, "master", BRIDGE);
      Command.run(ip, "link", "set", veth, "up");
      inNs(ns, ip, "link", "set", "lo", "up");
      inNs(ns, ip, "link", "set", peer, "name", "eth0");
      inNs(ns, ip, "addr", "add", host(i) + "/24", "dev", "eth0");
      inNs(ns, ip, "link", "set", "eth0", "up");
      for (String chain : List.of(PARTITION_CHAIN, LOSS_CHAIN)) {
        inNs(ns, iptables, "-N", chain);
        inNs(ns, iptables, "-A", "INPUT", "-j", chain);
      }
    }
  }

  private static String inNs(String ns, String... command) {
    List<String> full = new ArrayList<>(List.of(Command.which("ip").orElseThrow().toString(), "netns", "exec", ns));
    full.addAll(List.of(command));
    return Command.run(full.toArray(String[]::new));
  }

  // ---- names and addresses ----

  /** Number of node slots. */
  public int slots() {
    return slots;
  }

  /** The namespace of slot {@code i}: {@code kvsf-n<i>}. */
  public static String namespace(int i) {
    return PREFIX + "-n" + i;
  }

  /** The root-side veth of slot {@code i}: {@code kvsfv<i>}. */
  public static String rootVeth(int i) {
    return PREFIX + "v" + i;
  }

  /** The IP of slot {@code i}: {@value #SUBNET}.(i+2). */
  public static String host(int i) {
    return SUBNET + "." + (i + 2);
  }

  /** The socket address of slot {@code i}: {@code <host>:8090}. */
  public static String address(int i) {
    return host(i) + ":" + PORT;
  }

  /** The socket addresses of slots {@code 0..count-1}. */
  public static List<String> addresses(int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(address(i));
    }
    return out;
  }

  /** The slot of a socket address or IP of this network. */
  public int slotOf(String addressOrHost) {
    String host = addressOrHost.contains(":") ? addressOrHost.substring(0, addressOrHost.lastIndexOf(':'))
        : addressOrHost;
    for (int i = 0; i < slots; i++) {
      if (host(i).equals(host)) {
        return i;
      }
    }
    throw new IllegalArgumentException("Not an address of this network: " + addressOrHost);
  }

  /** The namespace that holds {@code address}. */
  public String namespaceOf(String address) {
    return namespace(slotOf(address));
  }

  /** The absolute path of the {@code ip} command used. */
  public String ipCommand() {
    return ip;
  }

  // ---- faults ----

  /**
   * Cuts every node of {@code sideA} off from every node of {@code sideB} in both directions
   * (each drops the packets it receives from the other side). Adds to earlier partitions.
   */
  public synchronized void partition(Collection<String> sideA, Collection<String> sideB) {
    for (String a : sideA) {
      for (String b : sideB) {
        dropFrom(a, b);
        dropFrom(b, a);
      }
    }
  }

  /** Cuts {@code node} off from every other slot of the network (clients still reach it). */
  public synchronized void isolateFromPeers(String node) {
    int s = slotOf(node);
    List<String> others = new ArrayList<>();
    for (int i = 0; i < slots; i++) {
      if (i != s) {
        others.add(address(i));
      }
    }
    partition(List.of(node), others);
  }

  private void dropFrom(String receiver, String sender) {
    inNs(namespaceOf(receiver), iptables, "-A", PARTITION_CHAIN, "-s", host(slotOf(sender)), "-j", "DROP");
  }

  /** Removes every partition rule. */
  public synchronized void heal() {
    for (int i = 0; i < slots; i++) {
      inNs(namespace(i), iptables, "-F", PARTITION_CHAIN);
    }
  }

  /**
   * Drops each packet that any node receives with {@code probability} (replacing an earlier
   * setting); {@code 0} removes the loss.
   */
  public synchronized void setLoss(double probability) {
    if (probability < 0 || probability >= 1) {
      throw new IllegalArgumentException("probability must be in [0, 1): " + probability);
    }
    for (int i = 0; i < slots; i++) {
      inNs(namespace(i), iptables, "-F", LOSS_CHAIN);
      if (probability > 0) {
        inNs(namespace(i), iptables, "-A", LOSS_CHAIN, "-m", "statistic", "--mode", "random",
            "--probability", Double.toString(probability), "-j", "DROP");
      }
    }
  }

  /** The iptables rules of {@code address}'s namespace ({@code iptables -S}), for reports. */
  public String rules(String address) {
    return inNs(namespaceOf(address), iptables, "-S");
  }

  /** Sets {@code address}'s veth down on the root side: it reaches nothing and nothing reaches it. */
  public synchronized void linkDown(String address) {
    Command.run(ip, "link", "set", rootVeth(slotOf(address)), "down");
  }

  /** Undoes {@link #linkDown}. */
  public synchronized void linkUp(String address) {
    Command.run(ip, "link", "set", rootVeth(slotOf(address)), "up");
  }

  /** Whether the blackhole route for {@link #RANGE} is in place. */
  public boolean blackholePresent() {
    return Command.tryRun(ip, "route", "show", "type", "blackhole").output().contains(RANGE);
  }

  // ---- cleanup ----

  /** Removes the namespaces, veths, bridge, rules and route, and releases the lock. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // shutting down
    }
    releaseLock();
  }

  private void releaseLock() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /**
   * Removes leftovers of a crashed run: processes still inside our namespaces (started by this
   * harness), our namespaces, links, rules and the blackhole route. Only names with our prefix
   * are touched.
   */
  private void removeLeftovers() {
    for (String ns : ourNamespaces()) {
      for (String pid : Command.tryRun(ip, "netns", "pids", ns).output().split("\\s+")) {
        if (pid.matches("\\d+")) {
          System.err.println("[netns] killing leftover process " + pid + " in namespace " + ns);
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    removeAll();
  }

  private void removeAll() {
    for (String ns : ourNamespaces()) {
      Command.tryRun(ip, "netns", "del", ns);
    }
    for (String link : ourLinks()) {
      Command.tryRun(ip, "link", "del", link);
    }
    while (Command.tryRun(iptables, "-S", "FORWARD").output().contains(RULE_COMMENT)) {
      if (!Command.tryRun(iptables, "-D", "FORWARD", "-i", BRIDGE, "-o", BRIDGE, "-m", "comment",
          "--comment", RULE_COMMENT, "-j", "ACCEPT").ok()) {
        break;
      }
    }
    while (blackholePresent()) {
      if (!Command.tryRun(ip, "route", "del", "blackhole", RANGE, "metric", BLACKHOLE_METRIC).ok()
          && !Command.tryRun(ip, "route", "del", "blackhole", RANGE).ok()) {
        break;
      }
    }
  }

  private Set<String> ourNamespaces() {
    Set<String> out = new TreeSet<>();
    for (String line : Command.tryRun(ip, "netns", "list").output().split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (name.startsWith(PREFIX + "-")) {
        out.add(name);
      }
    }
    return out;
  }

  private Set<String> ourLinks() {
    Set<String> out = new TreeSet<>();
    for (String line : Command.tryRun(ip, "-o", "link", "show").output().split("\n")) {
      String[] parts = line.split(":\\s+", 3);
      if (parts.length >= 2) {
        String name = parts[1].split("@")[0].trim();
        if (name.startsWith(PREFIX)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** What is left of this network in the root namespace (names), for checks that cleanup worked. */
  public static Map<String, List<String>> leftovers() {
    String ip = Command.which("ip").map(Path::toString).orElse("ip");
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> ns = new ArrayList<>();
    for (String line : Command.tryRun(ip, "netns", "list").output().split("\n")) {
      if (line.trim().startsWith(PREFIX + "-")) {
        ns.add(line.trim());
      }
    }
    List<String> links = new ArrayList<>();
    for (String line : Command.tryRun(ip, "-o", "link", "show").output().split("\n")) {
      String[] parts = line.split(":\\s+", 3);
      if (parts.length >= 2 && parts[1].startsWith(PREFIX)) {
        links.add(parts[1].split("@")[0]);
      }
    }
    List<String> routes = new ArrayList<>();
    for (String line : Command.tryRun(ip, "route", "show").output().split("\n")) {
      if (line.contains(SUBNET + ".")) {
        routes.add(line.trim());
      }
    }
    out.put("namespaces", ns);
    out.put("links", links);
    out.put("routes", routes);
    return out;
  }
}
