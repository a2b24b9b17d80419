package io.kvs.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's log: SLF4J's {@code io.kvs.node} logger. When the node's clock is
 * {@linkplain Clock#virtual() virtual} every line starts with {@code [<ms> ms virtual]}: a
 * simulated run's wall-clock timestamps say nothing, and the time its nodes live in is
 * only in the message, whatever binding and pattern the user's tests log with.
 */
final class NodeLog {
  private static final Logger LOG = LoggerFactory.getLogger("io.kvs.node");

  private final Clock clock;

  NodeLog(Clock clock) {
    this.clock = clock;
  }

  void debug(String format, Object... args) {
    if (LOG.isDebugEnabled()) {
      LOG.debug(prefix() + format, args);
    }
  }

  void info(String format, Object... args) {
    if (LOG.isInfoEnabled()) {
      LOG.info(prefix() + format, args);
    }
  }

  void warn(String format, Object... args) {
    if (LOG.isWarnEnabled()) {
      LOG.warn(prefix() + format, args);
    }
  }

  private String prefix() {
    return clock.virtual() ? "[" + clock.nowMs() + " ms virtual] " : "";
  }
}
