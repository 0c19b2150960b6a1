package io.kvorum.server;

import io.kvorum.kv.core.ApplyResult;
import io.kvorum.kv.core.CommittedEntry;
import io.kvorum.kv.core.MvccStore;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Applies committed entries to the MVCC store on a thread of its own, so the driver persists and
 * sends the next Ready while the previous one is applied (etcd's raft loop hands committed entries
 * to its apply goroutine the same way). Batches are applied in the order they were submitted.
 *
 * <p>Backpressure: at most {@value #DEPTH} batches wait; the driver blocks on a full queue, as
 * etcd's raft loop blocks on its apply channel. The driver waits for the pipeline to drain before
 * what must see the store up to date: a membership change taking effect, a snapshot being installed
 * or taken.
 */
final class ApplyPipeline implements AutoCloseable {
  static final int DEPTH = 16;

  /** What the applier does with a batch's results (complete callers); runs on the applier. */
  interface Results {
    void applied(List<ApplyResult> results);
  }

  private record Batch(List<CommittedEntry> entries, long lastIndex, Results results) {}

  private final MvccStore store;
  private final LongConsumer onApplied;
  private final Consumer<RuntimeException> onFailure;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(DEPTH);
  private final Thread thread;
  private final Object progress = new Object();
  private long submitted;
  private volatile long applied;
  private volatile boolean failed;
  private volatile boolean closed;

  /**
   * @param store the store the entries are applied to
   * @param threads where the applier thread comes from
   * @param name the thread's name
   * @param onApplied told the last index of each applied batch (on the applier thread)
   * @param onFailure told of a storage failure; nothing is applied after it
   */
  ApplyPipeline(
      MvccStore store,
      ThreadFactory threads,
      String name,
      LongConsumer onApplied,
      Consumer<RuntimeException> onFailure) {
    this.store = store;
    this.onApplied = onApplied;
    this.onFailure = onFailure;
    this.applied = store.appliedIndex();
    this.submitted = applied;
    this.thread = threads.newThread(this::run);
    thread.setName(name);
  }

  void start() {
    thread.start();
  }

  /** Queues a batch (driver thread); blocks while {@value #DEPTH} batches wait. */
  void submit(List<CommittedEntry> entries, Results results) throws InterruptedException {
    if (entries.isEmpty()) {
      return;
    }
    long last = entries.get(entries.size() - 1).index();
    queue.put(new Batch(entries, last, results));
    submitted = last;
  }

  /** Waits until everything submitted so far is applied (driver thread). */
  void drain() throws InterruptedException {
    synchronized (progress) {
      while (applied < submitted && !failed && !closed) {
        progress.wait(100);
      }
    }
    if (failed) {
      throw new IllegalStateException("applying committed entries failed; the member stops");
    }
  }

  /** The last index applied to the store. */
  long applied() {
    return applied;
  }

  /** The store's state was replaced (a snapshot installed) at {@code index}: drained before. */
  void reset(long index) {
    applied = index;
    submitted = index;
  }

  private void run() {
    try {
      while (!closed) {
        Batch b = queue.poll(100, TimeUnit.MILLISECONDS);
        if (b == null) {
          continue;
        }
        List<ApplyResult> results = store.applyBatch(b.entries());
        b.results().applied(results);
        onApplied.accept(b.lastIndex());
        synchronized (progress) {
          applied = b.lastIndex();
          progress.notifyAll();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      onFailure.accept(e);
      synchronized (progress) {
        failed = true;
        progress.notifyAll();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
