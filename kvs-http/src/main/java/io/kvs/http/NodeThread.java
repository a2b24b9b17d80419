package io.kvs.http;

import io.kvs.core.Clock;
import io.kvs.core.Node;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import io.kvs.core.Scheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one logical thread of a node. Every call into the {@link Node} runs here, timers
 * included (it is the node's {@link Scheduler}); futures it hands out complete on a separate
 * pool, so no caller's continuation ever runs on (or blocks) the node's thread.
 */
final class NodeThread implements Clock, Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(NodeThread.class);

  private final ScheduledThreadPoolExecutor executor;
  private final ExecutorService completions;
  private final long originNanos = System.nanoTime();
  /** Requests submitted and not yet answered; touched on the node thread only. */
  private final Set<CompletableFuture<Reply>> pending = new HashSet<>();
  private Node node;
  private boolean stopped;

  NodeThread(String name) {
    executor = new ScheduledThreadPoolExecutor(1, daemonThreads("kvs-node-" + name));
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    completions = Executors.newCachedThreadPool(daemonThreads("kvs-reply-" + name));
  }

  /** Builds the node on its thread and keeps it; rethrows the builder's exception. */
  Node build(Supplier<Node> builder) {
    try {
      return call(() -> node = builder.get()).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  @Override
  public long nowMs() {
    return (System.nanoTime() - originNanos) / 1_000_000L;
  }

  @Override
  public Cancellable schedule(long delayMs, Runnable task) {
    try {
      ScheduledFuture<?> f = executor.schedule(guarded(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> { };
    }
  }

  /** Runs {@code task} on the node thread; dropped once the thread has shut down. */
  void post(Runnable task) {
    try {
      executor.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      LOG.debug("node thread is shut down; task dropped");
    }
  }

  /** Submits {@code request}; the future fails with {@link NodeStoppedException} after stop. */
  CompletableFuture<Reply> submit(Request request) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    postOrFail(reply, () -> submitHere(request, reply));
    return reply;
  }

  private void submitHere(Request request, CompletableFuture<Reply> reply) {
    if (stopped) {
      fail(reply, new NodeStoppedException());
      return;
    }
    pending.add(reply);
    try {
      node.submit(request, r -> {
        if (pending.remove(reply)) {
          complete(reply, r);
        }
      });
    } catch (RuntimeException e) {
      pending.remove(reply);
      fail(reply, e);
    }
  }

  /** Reads from the node on its thread. */
  <T> CompletableFuture<T> query(Function<Node, T> read) {
    return call(() -> {
      if (stopped) {
        throw new NodeStoppedException();
      }
      return read.apply(node);
    });
  }

  private <T> CompletableFuture<T> call(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    postOrFail(result, () -> {
      try {
        complete(result, work.get());
      } catch (RuntimeException e) {
        fail(result, e);
      }
    });
    return result;
  }

  /** Hands a frame from another node to the node. */
  void receive(String from, byte[] frame) {
    post(() -> {
      if (!stopped) {
        node.receive(from, frame);
      }
    });
  }

  /** Stops the node, fails every unanswered request and shuts both pools down. */
  void stop() {
    post(() -> {
      stopped = true;
      if (node != null) {
        node.stop();
      }
      for (CompletableFuture<Reply> reply : new ArrayList<>(pending)) {
        fail(reply, new NodeStoppedException());
      }
      pending.clear();
    });
    executor.shutdown();
    awaitQuietly(executor);
    completions.shutdown();
    awaitQuietly(completions);
  }

  private void postOrFail(CompletableFuture<?> future, Runnable task) {
    try {
      executor.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new NodeStoppedException());
    }
  }

  private <T> void complete(CompletableFuture<T> future, T value) {
    try {
      completions.execute(() -> future.complete(value));
    } catch (RejectedExecutionException e) {
      future.complete(value);
    }
  }

  private void fail(CompletableFuture<?> future, Throwable error) {
    try {
      completions.execute(() -> future.completeExceptionally(error));
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(error);
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.error("unexpected failure on the node thread", e);
      }
    };
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
