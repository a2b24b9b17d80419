package io.kvs.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One kvs node running as its own JVM ({@code java -jar kvs-node.jar}), configured only through
 * its environment. Its stdout and stderr go to one log file.
 *
 * <p>This class only ever signals the process it started itself (through {@link Process}), never
 * anything found by name.
 */
public final class NodeProcess implements AutoCloseable {
  /** System property naming the node jar; when absent, {@link #locateJar()} looks next door. */
  public static final String JAR_PROPERTY = "kvs.node.jar";
  /** System property with extra JVM options for nodes, separated by spaces. */
  public static final String JVM_ARGS_PROPERTY = "kvs.node.jvmArgs";
  /** JVM options used for nodes when {@link #JVM_ARGS_PROPERTY} is not set: small and quick to start. */
  public static final List<String> DEFAULT_JVM_ARGS =
      List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /** Environment names that a node reads; they are never inherited from the test JVM. */
  private static final List<String> NODE_VARIABLES = List.of("SOCKET_ADDRESS", "VIEW", "SHARD_COUNT");

  private final String name;
  private final Map<String, String> env;
  private final Path logFile;
  private final Process process;

  private NodeProcess(String name, Map<String, String> env, Path logFile, Process process) {
    this.name = name;
    this.env = env;
    this.logFile = logFile;
    this.process = process;
  }

  /**
   * Starts {@code java <jvmArgs> -jar <jar>} with the given environment added to this JVM's
   * (minus any inherited {@code SOCKET_ADDRESS}, {@code VIEW}, {@code SHARD_COUNT} and {@code KVS_*}).
   *
   * @param jar the node's fat jar
   * @param name a label for messages (for example the socket address)
   * @param env the node's configuration
   * @param jvmArgs JVM options placed before {@code -jar}
   * @param logFile receives stdout and stderr (created, or truncated)
   */
  public static NodeProcess start(Path jar, String name, Map<String, String> env, List<String> jvmArgs,
                                  Path logFile) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> processEnv = builder.environment();
    processEnv.keySet().removeIf(k -> NODE_VARIABLES.contains(k) || k.startsWith("KVS_"));
    processEnv.putAll(env);
    try {
      Path parent = logFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      Process process = builder.start();
      return new NodeProcess(name, Map.copyOf(new LinkedHashMap<>(env)), logFile, process);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start node " + name + ": " + command, e);
    }
  }

  /**
   * The node jar: the system property {@value #JAR_PROPERTY} if set, otherwise
   * {@code ../kvs-http/target/kvs-node.jar} relative to the kvs-testkit module directory (or
   * {@code kvs-http/target/kvs-node.jar} relative to the working directory, for runs from the root).
   *
   * @throws IllegalStateException with a clear message when no jar is found
   */
  public static Path locateJar() {
    String configured = System.getProperty(JAR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("-D" + JAR_PROPERTY + "=" + configured + " does not name a file");
      }
      return p.toAbsolutePath().normalize();
    }
    List<Path> candidates = new ArrayList<>();
    String moduleDir = System.getProperty("kvs.testkit.basedir");
    if (moduleDir != null) {
      candidates.add(Path.of(moduleDir, "..", "kvs-http", "target", "kvs-node.jar"));
    }
    candidates.add(Path.of("..", "kvs-http", "target", "kvs-node.jar"));
    candidates.add(Path.of("kvs-http", "target", "kvs-node.jar"));
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return c.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("Node jar not found (looked at " + candidates.stream()
        .map(p -> p.toAbsolutePath().normalize().toString()).toList()
        + "). Build it first with 'mvn -B -DskipTests package' at the repository root, or pass -D"
        + JAR_PROPERTY + "=/path/to/kvs-node.jar.");
  }

  /**
   * The JVM options for nodes: {@value #JVM_ARGS_PROPERTY} split on spaces if set, else
   * {@link #DEFAULT_JVM_ARGS}.
   */
  public static List<String> jvmArgs() {
    String configured = System.getProperty(JVM_ARGS_PROPERTY);
    if (configured == null) {
      return DEFAULT_JVM_ARGS;
    }
    return List.of(configured.trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** The label given at start. */
  public String name() {
    return name;
  }

  /** The environment the node was started with (only the variables set by the caller). */
  public Map<String, String> env() {
    return env;
  }

  /** The node's log file (stdout and stderr). */
  public Path logFile() {
    return logFile;
  }

  /** The operating-system id of the JVM started. */
  public long pid() {
    return process.pid();
  }

  /** Whether the JVM started is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or {@code null} while running. */
  public Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  /**
   * Kills the JVM at once (SIGKILL through {@link Process#destroyForcibly()}), as a crash, and
   * waits up to 10 s for it to be gone.
   */
  public void kill9() {
    process.destroyForcibly();
    awaitExit(10);
  }

  /** Asks the JVM to stop (SIGTERM); after 10 s without exit, kills it. */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!awaitExit(10)) {
      kill9();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private boolean awaitExit(long seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** The last {@code lines} lines of the log file (empty when it cannot be read). */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return "NodeProcess[" + name + ", pid " + process.pid() + (isAlive() ? ", alive" : ", exited") + "]";
  }
}
