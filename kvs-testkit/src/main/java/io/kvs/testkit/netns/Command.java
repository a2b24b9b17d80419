package io.kvs.testkit.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs short system commands ({@code ip}, {@code iptables}) and captures their output. Every call
 * waits for the command to end (bounded), so nothing started here outlives the call.
 */
public final class Command {
  private static final long TIMEOUT_SECONDS = 20;
  private static final List<String> SEARCH_PATH = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private Command() {
  }

  /**
   * The outcome of a command.
   *
   * @param exitCode the exit status
   * @param output stdout and stderr together, trimmed
   */
  public record Result(int exitCode, String output) {
    /** Whether the exit status was 0. */
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code command} and returns its result, whatever the exit status. */
  public static Result tryRun(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = builder.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-1, "could not run " + String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  /** {@link #tryRun(List)} with the command given as words. */
  public static Result tryRun(String... command) {
    return tryRun(List.of(command));
  }

  /**
   * Runs {@code command} and returns its output.
   *
   * @throws IllegalStateException naming the command and its output when it exits non-zero
   */
  public static String run(String... command) {
    Result r = tryRun(command);
    if (!r.ok()) {
      throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + r.exitCode()
          + "): " + r.output());
    }
    return r.output();
  }

  /** The absolute path of executable {@code name} on PATH or in the usual sbin/bin folders. */
  public static Optional<Path> which(String name) {
    String path = System.getenv("PATH");
    java.util.List<String> dirs = new java.util.ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.addAll(SEARCH_PATH);
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether this process runs as root (uid 0), read from {@code /proc/self}. */
  public static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer i && i == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    } catch (UncheckedIOException e) {
      return false;
    }
  }
}
