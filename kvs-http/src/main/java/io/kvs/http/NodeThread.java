package io.kvs.http;

import io.kvs.core.Clock;
import io.kvs.core.Node;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import io.kvs.core.Scheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one logical thread of a node. Every call into the {@link Node} runs under it, timers
 * included (it is the node's {@link Scheduler}): one task at a time, each seeing everything
 * the previous ones did.
 *
 * <p>It is logical, not a fixed OS thread: a task handed in while the node is idle runs at
 * once on the thread that handed it in (an HTTP worker with a request or a batch of frames,
 * or the timer thread), and tasks handed in meanwhile by other threads run right after it, on
 * the same thread, up to a budget; what is left then moves to the node's own thread. A read
 * thus costs no hand-off between threads, where each hand-off is a wake-up that a busy
 * machine makes slow. The node never blocks (its transport only queues), so whichever thread
 * runs it is never held up by I/O.
 *
 * <p>Futures complete only after the node is released: those of {@link #submitDirect} on the
 * thread that ran the node (for short continuations that never block, such as the HTTP
 * handlers'), all others on a separate pool, so no caller's continuation ever runs under (or
 * blocks) the node.
 */
final class NodeThread implements Clock, Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(NodeThread.class);
  /** Tasks a caller's thread runs for others before handing the rest to the node's thread. */
  private static final int CALLER_BUDGET = 64;
  /** Tasks the node's own thread runs between two rounds of completions. */
  private static final int NODE_BUDGET = 256;

  /** The node's own thread: timers, and tasks callers left over. */
  private final ScheduledThreadPoolExecutor executor;
  private final ExecutorService completions;
  private final long originNanos = System.nanoTime();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** Held by the thread running the node's tasks. */
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean handedOff = new AtomicBoolean();
  private volatile boolean shutDown;
  /** Run by the thread that ran the node, after each round (the transport's flush). */
  private volatile Runnable afterEachRound = () -> { };
  /** Completions of {@link #submitDirect} replies, run once the node is released; node-guarded. */
  private ArrayList<Runnable> afterRelease = new ArrayList<>();
  /** Requests submitted and not yet answered; node-guarded. */
  private final Set<CompletableFuture<Reply>> pending = new HashSet<>();
  private Node node;
  private boolean stopped;
  /** The executor's one thread (the node's own): callers' continuations must not run there. */
  private volatile Thread ownThread;

  NodeThread(String name) {
    ThreadFactory nodeThreads = daemonThreads("kvs-node-" + name);
    executor = new ScheduledThreadPoolExecutor(1, runnable -> ownThread = nodeThreads.newThread(runnable));
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    completions = Executors.newCachedThreadPool(daemonThreads("kvs-reply-" + name));
  }

  /**
   * Sets what runs after each round of the node's work, once the node is released, on the
   * thread that ran it: the transport's flush, so that what a round sent leaves together.
   */
  void afterEachRound(Runnable hook) {
    afterEachRound = hook;
  }

  /** Whether the calling thread is the node's own (timers, leftover tasks), not a caller's. */
  boolean onOwnThread() {
    return Thread.currentThread() == ownThread;
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
      ScheduledFuture<?> f = executor.schedule(() -> post(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> { };
    }
  }

  /** Runs {@code task} under the node; dropped once it has shut down. */
  void post(Runnable task) {
    try {
      execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("node thread is shut down; task dropped");
    }
  }

  /** Submits {@code request}; the future fails with {@link NodeStoppedException} after stop. */
  CompletableFuture<Reply> submit(Request request) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    postOrFail(reply, () -> submitHere(request, reply, false));
    return reply;
  }

  /**
   * Like {@link #submit}, but the future completes on the thread that ran the node when the
   * answer came (after releasing it), often the calling thread before this method returns.
   * Its continuations must be short and must never block.
   */
  CompletableFuture<Reply> submitDirect(Request request) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    postOrFail(reply, () -> submitHere(request, reply, true));
    return reply;
  }

  private void submitHere(Request request, CompletableFuture<Reply> reply, boolean direct) {
    if (stopped) {
      fail(reply, new NodeStoppedException());
      return;
    }
    pending.add(reply);
    try {
      node.submit(request, r -> {
        if (pending.remove(reply)) {
          if (direct) {
            afterRelease.add(() -> reply.complete(r));
          } else {
            complete(reply, r);
          }
        }
      });
    } catch (RuntimeException e) {
      pending.remove(reply);
      fail(reply, e);
    }
  }

  /** The pool futures other than {@link #submitDirect}'s complete on; for work that may block. */
  Executor replyPool() {
    return completions;
  }

  /** Reads from the node under it. */
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
    receive(from, List.of(frame));
  }

  /** Hands frames from another node to the node, in order, as one task. */
  void receive(String from, List<byte[]> frames) {
    post(() -> deliver(from, frames));
  }

  /**
   * Hands frames from another node to the node as one task that runs inside {@code around}
   * (which may, for example, collect what the node sends meanwhile); the future gets what
   * {@code around} returned, directly (see {@link #submitDirect}), once the task ran, or fails
   * with {@link NodeStoppedException}.
   */
  <T> CompletableFuture<T> receiveDirect(String from, List<byte[]> frames, Function<Runnable, T> around) {
    CompletableFuture<T> done = new CompletableFuture<>();
    postOrFail(done, () -> {
      T result = around.apply(() -> deliver(from, frames));
      afterRelease.add(() -> done.complete(result));
    });
    return done;
  }

  private void deliver(String from, List<byte[]> frames) {
    for (byte[] frame : frames) {
      if (stopped) {
        return;
      }
      try {
        node.receive(from, frame);
      } catch (RuntimeException e) {
        LOG.error("unexpected failure on the node thread", e);
      }
    }
  }

  /** Stops the node, fails every unanswered request and shuts both pools down. */
  void stop() {
    CountDownLatch done = new CountDownLatch(1);
    post(() -> {
      stopped = true;
      if (node != null) {
        node.stop();
      }
      for (CompletableFuture<Reply> reply : new ArrayList<>(pending)) {
        fail(reply, new NodeStoppedException());
      }
      pending.clear();
      done.countDown();
    });
    shutDown = true;
    try {
      if (!done.await(5, TimeUnit.SECONDS)) {
        LOG.warn("the node did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdown();
    awaitQuietly(executor);
    completions.shutdown();
    awaitQuietly(completions);
  }

  private void postOrFail(CompletableFuture<?> future, Runnable task) {
    try {
      execute(task);
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new NodeStoppedException());
    }
  }

  /** Queues {@code task} and, if the node is idle, runs it (and what others queued) here. */
  private void execute(Runnable task) {
    if (shutDown) {
      throw new RejectedExecutionException("the node is shut down");
    }
    tasks.add(task);
    drain(CALLER_BUDGET);
  }

  /**
   * Runs queued tasks while the node is free, at most {@code budget} per round; what remains
   * after a full round goes to the node's own thread.
   */
  private void drain(int budget) {
    while (!tasks.isEmpty() && running.compareAndSet(false, true)) {
      int ran = 0;
      ArrayList<Runnable> completed;
      try {
        for (Runnable t = tasks.poll(); t != null; t = ran < budget ? tasks.poll() : null) {
          ran++;
          runGuarded(t);
        }
      } finally {
        completed = afterRelease.isEmpty() ? null : afterRelease;
        if (completed != null) {
          afterRelease = new ArrayList<>();
        }
        running.set(false);
      }
      runGuarded(afterEachRound);
      if (completed != null) {
        completed.forEach(NodeThread::runGuarded);
      }
      if (ran >= budget && !tasks.isEmpty()) {
        handOff();
        return;
      }
    }
  }

  private void handOff() {
    if (handedOff.compareAndSet(false, true)) {
      try {
        executor.execute(() -> {
          handedOff.set(false);
          drain(NODE_BUDGET);
        });
      } catch (RejectedExecutionException e) {
        handedOff.set(false);
        drain(Integer.MAX_VALUE);
      }
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

  private static void runGuarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LOG.error("unexpected failure on the node thread", e);
    }
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
