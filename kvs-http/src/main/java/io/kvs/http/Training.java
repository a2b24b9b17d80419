package io.kvs.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code java -XX:AOTCacheOutput=kvs.aot -jar kvs-node.jar --train [SECONDS]}: the training run
 * of an ahead-of-time cache (JDK 25, JEP 483 and 515). It starts a 6-node, 2-shard cluster in
 * this JVM on 127.0.0.1 (ports 28082-28087), drives PUT, GET and DELETE requests through every
 * node over HTTP for SECONDS (default 20), and exits 0; the JVM then writes the classes it loaded
 * and the methods' profiles into the cache, and a node started with {@code -XX:AOTCache=kvs.aot}
 * starts warm. The image's build does this (Dockerfile).
 */
final class Training {
  private static final int BASE_PORT = 28082;
  private static final int CLIENT_THREADS = 8;
  private static final int KEYS = 1000;

  private Training() {}

  /** Runs the training; {@code args} are what followed {@code --train}. */
  static void run(List<String> args) throws InterruptedException {
    int seconds = args.isEmpty() ? 20 : Integer.parseInt(args.get(0));
    String[] local = {"--local", "6", "--shards", "2", "--base-port", String.valueOf(BASE_PORT)};
    List<KvsServer> nodes = new ArrayList<>();
    try {
      for (KvsServerBuilder builder : LocalCluster.parse(local, Map.of())) {
        nodes.add(builder.start());
      }
      for (KvsServer node : nodes) {
        node.awaitReady(Duration.ofSeconds(30));
      }
      long requests = drive(nodes, seconds);
      System.out.println("kvs training: " + requests + " requests in " + seconds + " s");
    } finally {
      nodes.forEach(KvsServer::close);
    }
  }

  private static long drive(List<KvsServer> nodes, int seconds) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    AtomicLong done = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < CLIENT_THREADS; t++) {
      SplittableRandom random = new SplittableRandom(t);
      Thread thread = new Thread(() -> {
        while (System.nanoTime() - deadline < 0) {
          KvsServer node = nodes.get(random.nextInt(nodes.size()));
          send(client, request(node.address(), random));
          done.incrementAndGet();
        }
      }, "kvs-training-" + t);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return done.get();
  }

  private static HttpRequest request(String address, SplittableRandom random) {
    URI uri = URI.create("http://" + address + "/kvs/k" + random.nextInt(KEYS));
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json");
    int kind = random.nextInt(10);
    if (kind < 5) {
      String value = "{\"value\":\"" + "v".repeat(64) + "\",\"causal-metadata\":null}";
      return builder.PUT(HttpRequest.BodyPublishers.ofString(value)).build();
    }
    return kind < 9 ? builder.GET().build() : builder.DELETE().build();
  }

  private static void send(HttpClient client, HttpRequest request) {
    try {
      client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException e) {
      // a refused or timed-out request trains the same paths; the run goes on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
