package io.kvs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes a deployed run starts (kvs nodes, etcd members, a baseline node), each with its
 * own log file. Closing ends exactly these processes, by their handles: politely, then by force.
 */
final class ChildProcesses implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final List<String> addresses = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final Path logDir;

  ChildProcesses(Path logDir) {
    this.logDir = logDir;
  }

  /** Starts {@code command} with {@code env} added, its output going to {@code logDir/name.log}. */
  void start(String name, String address, List<String> command, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      Files.createDirectories(logDir);
      pb.redirectOutput(logDir.resolve(name + ".log").toFile());
      processes.add(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0) + " for " + name + ": " + e.getMessage(), e);
    }
    addresses.add(address);
  }

  /**
   * Waits until {@code ready} answers for every address, or fails after {@code timeout} naming
   * the first address that did not.
   */
  void awaitReady(Duration timeout, java.util.function.Function<String, HttpRequest> probe,
                  java.util.function.IntPredicate ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < addresses.size(); i++) {
      String address = addresses.get(i);
      while (!answers(probe.apply(address), ready)) {
        if (!processes.get(i).isAlive()) {
          throw new IllegalStateException(address + " exited with status " + processes.get(i).exitValue()
              + "; see " + logDir);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(address + " was not ready within " + timeout.toSeconds() + " s; see "
              + logDir);
        }
        Bench.sleep(50);
      }
    }
  }

  private static boolean answers(HttpRequest request, java.util.function.IntPredicate ready) {
    try {
      return ready.test(HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static HttpRequest get(String address, String path) {
    return HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(Duration.ofSeconds(2)).build();
  }

  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
