package io.kvs.http;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link BoundPort}: a configuration and its bound listener, started at most once. */
final class Binding implements BoundPort {
  private final KvsServerBuilder config;
  private final HttpListener listener;
  private final String address;
  private final AtomicBoolean used = new AtomicBoolean();

  Binding(KvsServerBuilder config, HttpListener listener) {
    this.config = config;
    this.listener = listener;
    this.address = config.address.substring(0, config.address.lastIndexOf(':') + 1) + listener.port();
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public KvsServer start(List<String> view) {
    if (view == null || !view.contains(address)) {
      throw new IllegalArgumentException("the view must contain this node's address " + address);
    }
    if (!used.compareAndSet(false, true)) {
      throw new IllegalStateException("the bound port " + address + " was already started or closed");
    }
    return config.startOn(listener, view);
  }

  @Override
  public void close() {
    if (used.compareAndSet(false, true)) {
      listener.close();
    }
  }
}
