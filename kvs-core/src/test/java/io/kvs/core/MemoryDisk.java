package io.kvs.core;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/** A test disk: files in memory, and sync callbacks that wait until the test completes them. */
final class MemoryDisk implements Disk {
  final TreeMap<String, ByteArrayOutputStream> files = new TreeMap<>();
  final List<Runnable> pendingSyncs = new ArrayList<>();
  int syncsRequested;

  @Override
  public List<String> list() {
    return List.copyOf(files.keySet());
  }

  @Override
  public byte[] read(String name) {
    return files.containsKey(name) ? files.get(name).toByteArray() : new byte[0];
  }

  @Override
  public void append(String name, byte[] bytes) {
    files.computeIfAbsent(name, n -> new ByteArrayOutputStream()).writeBytes(bytes);
  }

  @Override
  public void sync(Runnable onDurable) {
    syncsRequested++;
    pendingSyncs.add(onDurable);
  }

  /** Completes every sync requested so far. */
  void completeSyncs() {
    List<Runnable> due = new ArrayList<>(pendingSyncs);
    pendingSyncs.clear();
    due.forEach(Runnable::run);
  }

  @Override
  public void writeAtomically(String name, Supplier<byte[]> content, Runnable onDurable) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(content.get());
    files.put(name, out);
    onDurable.run();
  }

  @Override
  public void delete(String name) {
    files.remove(name);
  }

  @Override
  public void truncate(String name, long length) {
    byte[] b = read(name);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, (int) Math.min(length, b.length));
    files.put(name, out);
  }
}
