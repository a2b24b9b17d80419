package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.api.Session;
import io.kvs.core.DurabilitySettings;
import io.kvs.core.FsyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedded nodes with a data directory: a restart keeps the data; a held directory is refused. */
class DataDirTest {
  @TempDir
  Path dir;

  private static KvsServer start(String address, Path dataDir, FsyncPolicy fsync) {
    KvsServer server = KvsServer.builder().address(address).view(List.of(address)).dataDir(dataDir)
        .durability(DurabilitySettings.defaults().withFsync(fsync)).start();
    assertThat(server.awaitReady(Duration.ofSeconds(10))).isTrue();
    return server;
  }

  @Test
  void aRestartedNodeServesWhatItStoredBefore() {
    for (FsyncPolicy fsync : FsyncPolicy.values()) {
      String a = "127.0.0.1:" + TestCluster.freePort();
      Path data = dir.resolve(fsync.name());
      try (KvsServer node = start(a, data, fsync)) {
        Session s = node.openSession();
        for (int i = 0; i < 100; i++) {
          s.put("k" + i, Map.of("i", i));
        }
        s.delete("k7");
      }
      try (KvsServer node = start(a, data, fsync)) {
        Session s = node.openSession();
        Optional<JsonNode> v = s.get("k42");
        assertThat(v).as(fsync.name()).isPresent();
        assertThat(v.get().get("i").asInt()).isEqualTo(42);
        assertThat(s.get("k7")).as("a delete survives the restart").isEmpty();
      }
    }
  }

  @Test
  void aNodeFirstStartedOnPortZeroRestartsOnItsReportedAddressWithItsKeys() {
    String address;
    try (KvsServer node = KvsServer.builder().address("127.0.0.1:0").dataDir(dir).start()) {
      assertThat(node.awaitReady(Duration.ofSeconds(10))).isTrue();
      address = node.address();
      node.openSession().put("kept", Map.of("n", 1));
    }
    assertThatThrownBy(() -> KvsServer.builder().address("127.0.0.1:0").dataDir(dir).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data directory " + dir + " holds a node's data, which must restart on the address it had, "
            + "not on port 0");
    try (KvsServer node = start(address, dir, FsyncPolicy.ALWAYS)) {
      assertThat(node.openSession().get("kept")).contains(Http.json("{\"n\":1}"));
    }
  }

  @Test
  void anInProcessNodeRestartedOnItsDirectoryKeepsItsKeys() {
    for (int run = 0; run < 2; run++) {
      try (KvsServer node = KvsServer.builder().httpListener(false).dataDir(dir).start()) {
        assertThat(node.awaitReady(Duration.ofSeconds(10))).isTrue();
        Session s = node.openSession();
        if (run == 0) {
          s.put("k", "v");
        } else {
          assertThat(s.get("k")).contains(Http.json("\"v\""));
        }
      }
    }
  }

  @Test
  void aDirectoryHeldByAnotherNodeIsRefusedInOneSentence() {
    String a = "127.0.0.1:" + TestCluster.freePort();
    String b = "127.0.0.1:" + TestCluster.freePort();
    try (KvsServer first = start(a, dir, FsyncPolicy.ALWAYS)) {
      assertThatThrownBy(() -> start(b, dir, FsyncPolicy.ALWAYS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("data directory " + dir + " is in use by another kvs node; give each node its own");
      assertThat(first.view()).containsExactly(a);
    }
  }

  @Test
  void fileDiskAppendsSyncsWritesAtomicallyTruncatesAndDeletes() throws Exception {
    try (FileDisk disk = new FileDisk(dir, "test", Runnable::run)) {
      disk.append("wal-0000000001", new byte[] {1, 2, 3});
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(2);
      disk.sync(done::countDown);
      disk.writeAtomically("snap-0000000002", () -> new byte[] {9, 9}, done::countDown);
      assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(disk.list()).containsExactly("snap-0000000002", "wal-0000000001");
      byte[] written = disk.read("wal-0000000001");
      assertThat(written).hasSize((int) FileDisk.PREALLOCATE_BYTES).startsWith(1, 2, 3);
      assertThat(java.util.Arrays.copyOfRange(written, 3, written.length)).containsOnly(0);
      disk.truncate("wal-0000000001", 1);
      disk.delete("snap-0000000002");
      java.util.concurrent.CountDownLatch after = new java.util.concurrent.CountDownLatch(1);
      disk.sync(after::countDown);
      assertThat(after.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(disk.read("wal-0000000001")).containsExactly(1);
      disk.append("wal-0000000001", new byte[] {4});
      java.util.concurrent.CountDownLatch appended = new java.util.concurrent.CountDownLatch(1);
      disk.sync(appended::countDown);
      assertThat(appended.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(disk.read("wal-0000000001")).startsWith(1, 4, 0);
      assertThat(Files.exists(dir.resolve("snap-0000000002"))).isFalse();
    }
  }
}
