package io.kvs.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.testkit.sim.SimCluster;
import io.kvs.testkit.sim.SimSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's user test, compiled and run as written: the body of {@link #userTest()} between
 * the markers is the README's snippet, and {@link #theReadmeShowsThisTestAsWritten()} fails when
 * the two drift apart.
 */
class ReadmeUserTest {
  private static final Path SOURCE = Path.of("src/test/java/io/kvs/testkit/readme/ReadmeUserTest.java");
  private static final Path README = Path.of("../README.md");

  @Test
  void userTest() {
    // README begin
    SimCluster cluster = SimCluster.builder(42).nodes(6).shards(2).build();
    SimSession alice = cluster.session();   // each request goes to a running node it can reach
    SimSession bob = cluster.session();
    alice.put("greeting", "hello");          // a Java value, written as JSON by Jackson
    alice.putJson("point", "{\"x\":1}");     // or JSON text, refused unless it is JSON
    List<String> nodes = cluster.addresses();
    cluster.network().partition(nodes.subList(0, 1), nodes.subList(1, 6));
    cluster.crash(nodes.get(3));
    cluster.run(10_000);                     // ten seconds of virtual time, in milliseconds of real time
    assertThat(alice.get("greeting", String.class)).contains("hello");
    assertThat(bob.getJson("point")).isEqualTo("{\"x\":1}");
    assertThat(cluster.history().operations()).hasSize(4);  // every session's operations, recorded
    cluster.assertConsistent();              // heals, settles, then runs every checker
    // README end
  }

  @Test
  void theReadmeShowsThisTestAsWritten() throws IOException {
    String source = Files.readString(SOURCE);
    String body = source.substring(source.indexOf("// README begin\n") + "// README begin\n".length(),
        source.indexOf("    // README end"));
    String snippet = body.lines().map(line -> line.startsWith("    ") ? line.substring(4) : line)
        .collect(Collectors.joining("\n", "```java\n", "\n```"));
    assertThat(Files.readString(README)).as("README.md shows the body of ReadmeUserTest.userTest()")
        .contains(snippet);
  }
}
