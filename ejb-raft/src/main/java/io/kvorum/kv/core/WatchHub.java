package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Feeds watch streams from the apply path. After each committed batch the hub appends the events to
 * a bounded shared {@link EventRing} and signals every stream; it never waits for a watcher.
 * Streams build their responses when polled, from the ring or, for a watcher that fell behind it,
 * from storage.
 *
 * <p>Threading: streams synchronize on the store, so polls and applies never interleave.
 */
public final class WatchHub {
  final MvccStore store;
  final EventRing ring;
  private final List<WatchStream> streams = new ArrayList<>();

  WatchHub(MvccStore store, int ringEvents) {
    this.store = store;
    this.ring = new EventRing(ringEvents, 0);
  }

  /**
   * Opens a stream (one client Watch RPC). {@code onReady} is called on the applying thread, under
   * the store's lock, whenever new events may be available: it must return quickly (e.g. signal the
   * thread that polls).
   */
  public WatchStream openStream(Runnable onReady) {
    synchronized (store) {
      WatchStream s = new WatchStream(this, onReady);
      streams.add(s);
      return s;
    }
  }

  void close(WatchStream s) {
    synchronized (store) {
      streams.remove(s);
    }
  }

  /** Called by the store when it opened or restored a snapshot: history before is in storage. */
  void opened(long currentRevision) {
    ring.reset(currentRevision + 1);
  }

  /** Called by the store, under its lock, after a batch is committed. */
  void committed(List<Event> events) {
    ring.append(events);
    for (WatchStream s : streams) {
      s.signal();
    }
  }
}
