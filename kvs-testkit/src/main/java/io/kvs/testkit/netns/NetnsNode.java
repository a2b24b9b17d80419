package io.kvs.testkit.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One kvs node JVM inside a network namespace, started as
 * {@code ip netns exec <ns> java <jvmArgs> -jar kvs-node.jar}. {@code ip netns exec} replaces
 * itself with {@code java} (execvp, no fork), so the process started here <em>is</em> the JVM:
 * {@link #kill9()} is a real {@code kill -9} of the node ({@link #verifyIsJvm()} checks it).
 * Its stdout and stderr go to one log file.
 *
 * <p>Only the process started here is ever signalled.
 */
public final class NetnsNode {
  /** Environment names a node reads; never inherited from the test JVM. */
  private static final List<String> NODE_VARIABLES = List.of("SOCKET_ADDRESS", "VIEW", "SHARD_COUNT");

  private final String address;
  private final String namespace;
  private final Map<String, String> env;
  private final Path logFile;
  private final Process process;

  private NetnsNode(String address, String namespace, Map<String, String> env, Path logFile, Process process) {
    this.address = address;
    this.namespace = namespace;
    this.env = env;
    this.logFile = logFile;
    this.process = process;
  }

  /**
   * Starts a node.
   *
   * @param ipCommand absolute path of {@code ip}
   * @param namespace the namespace to run in
   * @param address the node's socket address (a label here; the environment says it to the node)
   * @param jar the node's fat jar
   * @param jvmArgs JVM options before {@code -jar}
   * @param env the node's environment (added to this JVM's, minus inherited node variables)
   * @param logFile receives stdout and stderr
   */
  public static NetnsNode start(String ipCommand, String namespace, String address, Path jar, List<String> jvmArgs,
                                Map<String, String> env, Path logFile) {
    List<String> command = new ArrayList<>(List.of(ipCommand, "netns", "exec", namespace));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> NODE_VARIABLES.contains(k) || k.startsWith("KVS_"));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      return new NetnsNode(address, namespace, Map.copyOf(env), logFile, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start node " + address + ": " + command, e);
    }
  }

  /** The node's socket address. */
  public String address() {
    return address;
  }

  /** The namespace it runs in. */
  public String namespace() {
    return namespace;
  }

  /** The environment given at start. */
  public Map<String, String> env() {
    return env;
  }

  /** stdout and stderr of the node. */
  public Path logFile() {
    return logFile;
  }

  /** The process id (the JVM's, see the class comment). */
  public long pid() {
    return process.pid();
  }

  /** Whether the JVM still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or {@code null} while running. */
  public Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  /**
   * Checks that the started process has become the JVM ({@code ip netns exec} exec'd
   * {@code java}), reading {@code /proc/<pid>/cmdline}.
   *
   * @return true once the command line is java's; false while it still is {@code ip} or the
   *     process is gone
   */
  public boolean verifyIsJvm() {
    try {
      String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid()), "cmdline")),
          StandardCharsets.UTF_8);
      String[] argv = cmdline.split("\0");
      return argv.length > 0 && Path.of(argv[0]).getFileName().toString().equals("java")
          && cmdline.contains("\0-jar\0");
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code kill -9} (SIGKILL through {@link Process#destroyForcibly()}), then waits up to 10 s for exit. */
  public void kill9() {
    process.destroyForcibly();
    awaitExit(10);
  }

  /** SIGTERM, and SIGKILL after 5 s without exit. */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!awaitExit(5)) {
      kill9();
    }
  }

  private boolean awaitExit(long seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** The last {@code lines} lines of the log (empty when unreadable). */
  public String logTail(int lines) {
    List<String> all = logLines();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Every log line (empty when unreadable). */
  public List<String> logLines() {
    try {
      return Files.readAllLines(logFile, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  @Override
  public String toString() {
    return "NetnsNode[" + address + " in " + namespace + ", pid " + pid() + (isAlive() ? ", alive" : ", exited") + "]";
  }
}
