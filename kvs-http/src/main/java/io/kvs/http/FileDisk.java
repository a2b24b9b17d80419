package io.kvs.http;

import io.kvs.core.Disk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's data directory on a real file system. Appends are gathered in memory and written by
 * one disk thread in the order they came, so the node's thread never waits for the device; a
 * sync forces every file written since the last one (and the directory, when files were
 * created) and then posts its callback to the node's thread. The directory is locked for as
 * long as the disk is open, so two processes never share it.
 */
final class FileDisk implements Disk, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileDisk.class);
  private static final String LOCK_FILE = "LOCK";

  private final Path dir;
  private final Consumer<Runnable> toNode;
  private final FileChannel lockChannel;
  private final FileLock lock;
  /**
   * Appends wait this long in memory before the disk thread writes them, so that one write call
   * and one wake-up carry every record of a burst. A sync writes them at once; only a crash of
   * the process inside this window loses them, and those were not yet acknowledged as durable.
   */
  static final long APPEND_COALESCE_MICROS = 1000;

  private final ScheduledExecutorService writer;
  /**
   * Appended files grow by this much of zeros at a time, ahead of their records. An fsync of
   * records written into space that already exists changes no file size, so it skips the file
   * system's journal commit: on ext4 that made each fdatasync 1.6 times faster here. Recovery
   * reads the zeros as the end of the log and trims them.
   */
  static final long PREALLOCATE_BYTES = 4L << 20;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);

  private final Map<String, FileChannel> open = new LinkedHashMap<>();
  /** How far each appended file's size reaches, zeros past its position included. */
  private final Map<String, Long> allocated = new HashMap<>();
  private final Set<String> unforced = new HashSet<>();
  private boolean dirUnforced;
  private final Object pendingLock = new Object();
  private Map<String, ByteArrayOutputStream> pending = new LinkedHashMap<>();
  private boolean drainQueued;
  private volatile LongConsumer syncNanos = nanos -> { };

  /**
   * Opens (creating if needed) and locks {@code dir}.
   *
   * @param toNode runs a callback on the node's thread
   * @throws IllegalStateException in one sentence when the directory is unusable or held by another process
   */
  FileDisk(Path dir, String address, Consumer<Runnable> toNode) {
    this.dir = dir;
    this.toNode = toNode;
    try {
      Files.createDirectories(dir);
      lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot use data directory " + dir + ": " + e.getMessage(), e);
    }
    FileLock held;
    try {
      held = lockChannel.tryLock();
    } catch (OverlappingFileLockException | IOException e) {
      held = null;
    }
    if (held == null) {
      closeQuietly(lockChannel);
      throw new IllegalStateException("data directory " + dir + " is in use by another kvs node; give each node its own");
    }
    this.lock = held;
    this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kvs-disk-" + address);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public List<String> list() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(LOCK_FILE) && !n.endsWith(".tmp")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list data directory " + dir, e);
    }
  }

  @Override
  public byte[] read(String name) {
    try {
      return Files.readAllBytes(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(name), e);
    }
  }

  @Override
  public void append(String name, byte[] bytes) {
    synchronized (pendingLock) {
      pending.computeIfAbsent(name, n -> new ByteArrayOutputStream(Math.max(4096, bytes.length))).writeBytes(bytes);
      if (!drainQueued) {
        drainQueued = true;
        writer.schedule(failureLogged(this::drain), APPEND_COALESCE_MICROS, TimeUnit.MICROSECONDS);
      }
    }
  }

  /** Runs {@code task} on the disk thread; a failure is one log line, and what waits on it waits on. */
  private void onDiskThread(Runnable task) {
    writer.execute(failureLogged(task));
  }

  private Runnable failureLogged(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("disk failure in {}: {}; writes waiting for it are not acknowledged", dir, e.getMessage());
      }
    };
  }

  /** Has every sync of appended files report how long it took, in nanoseconds (for the metrics). */
  void timeSyncsWith(LongConsumer syncNanos) {
    this.syncNanos = syncNanos;
  }

  @Override
  public void sync(Runnable onDurable) {
    onDiskThread(() -> {
      drain();
      boolean any = !unforced.isEmpty() || dirUnforced;
      long startNanos = System.nanoTime();
      forceAll();
      if (any) {
        syncNanos.accept(System.nanoTime() - startNanos);
      }
      toNode.accept(onDurable);
    });
  }

  @Override
  public void writeAtomically(String name, Supplier<byte[]> content, Runnable onDurable) {
    onDiskThread(() -> {
      Path tmp = dir.resolve(name + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(ch, content.get());
        ch.force(false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + tmp, e);
      }
      move(tmp, dir.resolve(name));
      forceDirectory();
      toNode.accept(onDurable);
    });
  }

  @Override
  public void delete(String name) {
    onDiskThread(() -> {
      drain();
      closeQuietly(open.remove(name));
      allocated.remove(name);
      unforced.remove(name);
      try {
        Files.deleteIfExists(dir.resolve(name));
      } catch (IOException e) {
        LOG.warn("cannot delete {}: {}", dir.resolve(name), e.getMessage());
      }
    });
  }

  @Override
  public void truncate(String name, long length) {
    onDiskThread(() -> {
      drain();
      try {
        channel(name).truncate(length);
        channel(name).force(false);
        allocated.remove(name);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot truncate " + dir.resolve(name), e);
      }
    });
  }

  /** Writes what was appended; on the disk thread only. */
  private void drain() {
    Map<String, ByteArrayOutputStream> batch;
    synchronized (pendingLock) {
      batch = pending;
      pending = new LinkedHashMap<>();
      drainQueued = false;
    }
    batch.forEach((name, bytes) -> {
      try {
        FileChannel ch = channel(name);
        allocate(name, ch, ch.position() + bytes.size());
        writeFully(ch, bytes.toByteArray());
        unforced.add(name);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
      }
    });
  }

  /** Makes sure {@code name} reaches {@code end}, growing it by whole chunks of zeros. */
  private void allocate(String name, FileChannel ch, long end) throws IOException {
    long size = allocated.computeIfAbsent(name, n -> sizeOf(ch));
    if (end <= size) {
      return;
    }
    long target = (end / PREALLOCATE_BYTES + 1) * PREALLOCATE_BYTES;
    for (long at = size; at < target; ) {
      ByteBuffer zeros = ZEROS.duplicate();
      zeros.limit((int) Math.min(zeros.capacity(), target - at));
      at += ch.write(zeros, at);
    }
    allocated.put(name, target);
  }

  private static long sizeOf(FileChannel ch) {
    try {
      return ch.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void forceAll() {
    for (String name : new ArrayList<>(unforced)) {
      try {
        channel(name).force(false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot sync " + dir.resolve(name), e);
      }
    }
    unforced.clear();
    if (dirUnforced) {
      forceDirectory();
    }
  }

  private FileChannel channel(String name) throws IOException {
    FileChannel ch = open.get(name);
    if (ch == null) {
      Path path = dir.resolve(name);
      dirUnforced |= !Files.exists(path);
      ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      ch.position(ch.size());
      open.put(name, ch);
    }
    return ch;
  }

  /** A new or renamed file survives a power loss only once its directory is synced too. */
  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
      dirUnforced = false;
    } catch (IOException e) {
      LOG.debug("cannot sync directory {}: {}", dir, e.getMessage());
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
    }
  }

  private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** Writes and syncs what is left, then releases the directory. */
  @Override
  public void close() {
    writer.execute(() -> {
      drain();
      forceAll();
      open.values().forEach(FileDisk::closeQuietly);
      open.clear();
    });
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      lock.release();
    } catch (IOException e) {
      LOG.debug("cannot release the lock of {}: {}", dir, e.getMessage());
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // closing: nothing left to do
      }
    }
  }
}
