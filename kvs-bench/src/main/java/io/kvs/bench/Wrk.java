package io.kvs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Drives HTTP load with wrk, the C client the deployed figures are taken with: one wrk process
 * per target, the connections shared out among them, each run as long as one slice. A Lua script
 * picks a random key per request and prints one summary line that {@link #slice} reads.
 */
final class Wrk {
  /** What the requests ask of which system. */
  enum Api { KVS, ETCD, BASELINE }

  /** One slice's figures, summed over its wrk processes. */
  record Slice(long requests, long non2xx, long socketErrors, double seconds, double p50Ms, double p99Ms) {
    double okPerSec() {
      return (requests - non2xx) / Math.max(seconds, 1e-9);
    }
  }

  private final Path scriptDir;

  /** @param scriptDir where the Lua scripts are written */
  Wrk(Path scriptDir) {
    this.scriptDir = scriptDir;
  }

  /** Whether wrk is on the PATH. */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(5, TimeUnit.SECONDS);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs {@code seconds} of load on {@code targets} and waits for it.
   *
   * @param getShare the share of reads, 0..1
   */
  Slice slice(Api api, List<String> targets, double getShare, int keys, int valueBytes, int connections,
              int seconds) {
    Path script = script(api, getShare, keys, valueBytes);
    List<Process> runs = new ArrayList<>();
    try {
      for (int i = 0; i < targets.size(); i++) {
        int share = connections / targets.size() + (i < connections % targets.size() ? 1 : 0);
        if (share > 0) {
          runs.add(start(script, targets.get(i), share, seconds));
        }
      }
      return sum(runs, seconds);
    } finally {
      runs.forEach(Process::destroyForcibly);
    }
  }

  private Process start(Path script, String target, int connections, int seconds) {
    int threads = Math.min(connections, Math.max(1, Math.min(3, connections / 4)));
    List<String> cmd = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
        "-s", script.toString(), "http://" + target);
    try {
      return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start wrk (apt-get install -y wrk)", e);
    }
  }

  private static Slice sum(List<Process> runs, int seconds) {
    long requests = 0;
    long non2xx = 0;
    long errors = 0;
    double p50 = 0;
    double p99 = 0;
    for (Process p : runs) {
      String output = output(p);
      String line = output.lines().filter(l -> l.startsWith("WRK ")).findFirst()
          .orElseThrow(() -> new IllegalStateException("wrk printed no summary: " + output.strip()));
      String[] f = line.split(" ");
      long n = Long.parseLong(f[1]);
      requests += n;
      non2xx += Long.parseLong(f[3]);
      errors += Long.parseLong(f[4]);
      p50 += Double.parseDouble(f[5]) / 1000 * n; // weighted by requests: an estimate, not a merge
      p99 = Math.max(p99, Double.parseDouble(f[6]) / 1000);
    }
    return new Slice(requests, non2xx, errors, seconds, requests == 0 ? 0 : p50 / requests, p99);
  }

  private static String output(Process p) {
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read wrk's output", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Path script(Api api, double getShare, int keys, int valueBytes) {
    String name = String.format(Locale.ROOT, "%s-%.2f-%d-%d.lua", api.name().toLowerCase(Locale.ROOT), getShare,
        keys, valueBytes);
    Path file = scriptDir.resolve(name);
    if (!Files.exists(file)) {
      try {
        Files.createDirectories(scriptDir);
        Files.writeString(file, lua(api, getShare, keys, valueBytes));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
    return file;
  }

  /** The script: requests for random keys, and a summary line at the end. */
  static String lua(Api api, double getShare, int keys, int valueBytes) {
    String value = "v".repeat(valueBytes);
    StringBuilder s = new StringBuilder();
    // requests are formatted in init: only then does wrk.format know the Host header
    s.append("local gets, puts, n = {}, {}, 0\n");
    s.append("function setup(thread) thread:set(\"seed\", math.random(1, 1000000)) end\n");
    s.append("function init(args)\n  math.randomseed(seed + os.time())\n");
    for (String key : LoadClient.keys(keys)) {
      s.append(requestsFor(api, key, value)).append('\n');
    }
    s.append("  n = #gets\nend\n");
    s.append(String.format(Locale.ROOT, "local share = %.4f%n", getShare));
    s.append("""
        request = function()
          local i = math.random(1, n)
          if math.random() < share then return gets[i] end
          return puts[i]
        end
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("WRK %d %d %d %d %.0f %.0f\\n", summary.requests, summary.duration,
            e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99)))
        end
        """);
    return s.toString();
  }

  private static String requestsFor(Api api, String key, String value) {
    String json = "{[\"Content-Type\"]=\"application/json\"}";
    return switch (api) {
      case KVS -> "gets[#gets+1] = wrk.format('GET', '/kvs/" + key + "')\n"
          + "puts[#puts+1] = wrk.format('PUT', '/kvs/" + key + "', " + json + ", '{\"value\":\"" + value
          + "\",\"causal-metadata\":null}')";
      case BASELINE -> "gets[#gets+1] = wrk.format('GET', '" + BaselineServer.PREFIX + key + "')\n"
          + "puts[#puts+1] = wrk.format('PUT', '" + BaselineServer.PREFIX + key + "', " + json + ", '{\"value\":\""
          + value + "\"}')";
      case ETCD -> "gets[#gets+1] = wrk.format('POST', '/v3/kv/range', " + json + ", '{\"key\":\"" + b64(key)
          + "\",\"serializable\":true}')\n"
          + "puts[#puts+1] = wrk.format('POST', '/v3/kv/put', " + json + ", '{\"key\":\"" + b64(key)
          + "\",\"value\":\"" + b64("\"" + value + "\"") + "\"}')";
    };
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
