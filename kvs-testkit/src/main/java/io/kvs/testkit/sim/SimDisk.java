package io.kvs.testkit.sim;

import io.kvs.core.Disk;
import io.kvs.core.Scheduler;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A node's data directory in memory, failing the way a real disk does. What a sync covered
 * survives a power loss; of what was appended after, any prefix survives, cut at any byte (a
 * torn record). A file written atomically but not yet durable is gone. {@link #flipBit} damages
 * one durable byte, as a bad sector would. Syncs take 1-2 ms of virtual time.
 *
 * <p>One SimDisk outlives the runs of its node: {@link #forRun} gives each run a view whose
 * callbacks end with that run.
 */
public final class SimDisk {
  private static final class File {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int durable;
  }

  /** The unit a device writes whole, so a torn write ends on a multiple of it. */
  private static final int SECTOR_BYTES = 512;

  private final SplittableRandom random;
  private final TreeMap<String, File> files = new TreeMap<>();
  private final boolean lyingSync;
  private long syncs;

  /** @param lyingSync plants the bug of an fsync that reports success without syncing */
  public SimDisk(long seed, boolean lyingSync) {
    this.random = new SplittableRandom(seed);
    this.lyingSync = lyingSync;
  }

  /** Syncs completed so far. */
  public long syncs() {
    return syncs;
  }

  /** Bytes held, synced or not. */
  public long sizeBytes() {
    return files.values().stream().mapToLong(f -> f.bytes.size()).sum();
  }

  /** The disk as one run of its node sees it; {@code scheduler} runs its callbacks. */
  public Disk forRun(Scheduler scheduler) {
    return new RunView(scheduler);
  }

  /**
   * Power is lost: each file keeps what was synced plus a random prefix of the rest. Half the
   * time a log segment instead keeps its length, as one whose space was allocated ahead does:
   * the lost part, from a sector boundary on, reads as zeros.
   */
  public void powerLoss() {
    files.forEach((name, f) -> {
      int kept = f.durable + (f.bytes.size() == f.durable ? 0 : random.nextInt(f.bytes.size() - f.durable + 1));
      if (name.startsWith("wal-") && kept < f.bytes.size() && random.nextBoolean()) {
        zeroFrom(f, Math.max(f.durable, kept / SECTOR_BYTES * SECTOR_BYTES));
      } else {
        cut(f, kept);
        f.durable = kept;
      }
    });
  }

  /** Zeros every byte from {@code from} on, and as many again up to the next 4 KiB boundary. */
  private static void zeroFrom(File f, int from) {
    byte[] b = f.bytes.toByteArray();
    byte[] zeroed = java.util.Arrays.copyOf(b, (b.length + 4095) / 4096 * 4096);
    java.util.Arrays.fill(zeroed, from, zeroed.length, (byte) 0);
    f.bytes.reset();
    f.bytes.writeBytes(zeroed);
    f.durable = from;
  }

  /** Flips one bit of a durable byte of a log segment; false when there is none. */
  public boolean flipBit() {
    List<File> candidates = new ArrayList<>();
    files.forEach((name, f) -> {
      if (name.startsWith("wal-") && f.durable > 0) {
        candidates.add(f);
      }
    });
    if (candidates.isEmpty()) {
      return false;
    }
    File f = candidates.get(random.nextInt(candidates.size()));
    byte[] b = f.bytes.toByteArray();
    int at = random.nextInt(f.durable);
    b[at] ^= (byte) (1 << random.nextInt(8));
    f.bytes.reset();
    f.bytes.writeBytes(b);
    return true;
  }

  /** The names of the files present. */
  public java.util.List<String> files() {
    return java.util.List.copyOf(files.keySet());
  }

  /** The whole content of {@code name}, synced or not (empty if absent). */
  public byte[] contents(String name) {
    File f = files.get(name);
    return f == null ? new byte[0] : f.bytes.toByteArray();
  }

  /** Flips bit {@code bit} of byte {@code offset} of {@code name}, as a bad sector would. */
  public void flipBit(String name, int offset, int bit) {
    File f = files.get(name);
    byte[] b = f.bytes.toByteArray();
    b[offset] ^= (byte) (1 << bit);
    f.bytes.reset();
    f.bytes.writeBytes(b);
  }

  /** Cuts the last {@code bytes} bytes off {@code name}, synced or not: a write torn by a crash. */
  public void tear(String name, int bytes) {
    File f = files.get(name);
    int length = Math.max(0, f.bytes.size() - bytes);
    cut(f, length);
    f.durable = Math.min(f.durable, length);
  }

  private static void cut(File f, int length) {
    if (length < f.bytes.size()) {
      byte[] b = f.bytes.toByteArray();
      f.bytes.reset();
      f.bytes.write(b, 0, length);
    }
  }

  private final class RunView implements Disk {
    private final Scheduler scheduler;

    RunView(Scheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public List<String> list() {
      return List.copyOf(files.keySet());
    }

    @Override
    public byte[] read(String name) {
      File f = files.get(name);
      return f == null ? new byte[0] : f.bytes.toByteArray();
    }

    @Override
    public void append(String name, byte[] bytes) {
      files.computeIfAbsent(name, n -> new File()).bytes.writeBytes(bytes);
    }

    @Override
    public void sync(Runnable onDurable) {
      TreeMap<String, Integer> lengths = new TreeMap<>();
      files.forEach((name, f) -> lengths.put(name, f.bytes.size()));
      scheduler.schedule(1 + random.nextInt(2), () -> {
        if (!lyingSync) {
          lengths.forEach((name, length) -> {
            File f = files.get(name);
            if (f != null) {
              f.durable = Math.max(f.durable, Math.min(length, f.bytes.size()));
            }
          });
        }
        syncs++;
        onDurable.run();
      });
    }

    @Override
    public void writeAtomically(String name, Supplier<byte[]> content, Runnable onDurable) {
      byte[] bytes = content.get();
      scheduler.schedule(1 + random.nextInt(2), () -> {
        File f = new File();
        f.bytes.writeBytes(bytes);
        f.durable = bytes.length;
        files.put(name, f);
        onDurable.run();
      });
    }

    @Override
    public void delete(String name) {
      files.remove(name);
    }

    @Override
    public void truncate(String name, long length) {
      File f = files.get(name);
      if (f != null) {
        cut(f, (int) length);
        f.durable = Math.min(f.durable, (int) length);
      }
    }
  }
}
