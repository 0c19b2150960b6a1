package io.kvorum.api.grpc;

import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.WatchCreateRequest;
import io.kvorum.kv.core.WatchResponse;
import io.kvorum.kv.core.WatchStream;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One server-side watcher on the member's store, for the Lock and Election services (what
 * clientv3's Watch is to etcd's v3lock and v3election). Responses are polled on {@code executor}
 * whenever the store signals new events; the apply path never waits for it.
 */
final class KeyWatch implements AutoCloseable {
  private static final int RESPONSES_PER_POLL = 64;

  private final Executor executor;
  private final Predicate<WatchResponse> handler;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile WatchStream stream;

  /**
   * Watches {@code [key, rangeEnd)} from {@code startRevision}. {@code handler} sees every response
   * (created, events, canceled), one at a time, and returns false to stop the watch.
   */
  static KeyWatch open(
      MvccStore store,
      byte[] key,
      byte[] rangeEnd,
      long startRevision,
      Executor executor,
      Predicate<WatchResponse> handler) {
    KeyWatch w = new KeyWatch(executor, handler);
    WatchStream s = store.watches().openStream(w::schedule);
    w.stream = s;
    s.create(WatchCreateRequest.of(key, rangeEnd, startRevision));
    w.schedule();
    return w;
  }

  private KeyWatch(Executor executor, Predicate<WatchResponse> handler) {
    this.executor = executor;
    this.handler = handler;
  }

  private void schedule() {
    if (!closed.get() && scheduled.compareAndSet(false, true)) {
      executor.execute(this::poll);
    }
  }

  private synchronized void poll() {
    scheduled.set(false);
    WatchStream s = stream;
    if (closed.get() || s == null) {
      return;
    }
    List<WatchResponse> responses = s.poll(RESPONSES_PER_POLL);
    for (WatchResponse r : responses) {
      if (closed.get()) {
        return;
      }
      if (!handler.test(r)) {
        close();
        return;
      }
    }
    if (!responses.isEmpty()) {
      schedule(); // a watcher catching up from storage gets a page per poll: ask until dry
    }
  }

  /** Stops the watcher; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && stream != null) {
      stream.close();
    }
  }
}
