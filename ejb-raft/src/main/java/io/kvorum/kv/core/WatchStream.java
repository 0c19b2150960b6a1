package io.kvorum.kv.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One client watch stream carrying many watchers (etcd's serverWatchStream). Responses are built
 * when the client side polls: for each watcher, the events from its next revision up to the store's
 * current revision, whole revisions at a time, in revision order with no gaps. A watcher behind the
 * shared ring is caught up from storage, at most {@link #SCAN_ROWS} rows per poll.
 *
 * <p>Threading: every method synchronizes on the store; call from any thread.
 */
public final class WatchStream {
  /** Stored rows read per poll and watcher when catching up from storage. */
  static final int SCAN_ROWS = 1000;

  private static final class Watcher {
    final long id;
    final byte[] key;
    final byte[] end;
    final boolean noPut;
    final boolean noDelete;
    final boolean prevKv;
    final boolean fragment;
    final boolean progressNotify;
    long nextRev;
    boolean progressDue;

    /**
     * True once the watcher was caught up with the store (or started "from now"): its events may
     * then come from the ring even if a compaction passed them, as etcd's synced watchers had them
     * pushed before the compaction. A watcher replaying history follows storage.
     */
    boolean live;

    Watcher(long id, WatchCreateRequest r, byte[] end, long nextRev) {
      this.id = id;
      this.key = r.key();
      this.end = end;
      this.noPut = r.filters().contains(WatchCreateRequest.FilterType.NOPUT);
      this.noDelete = r.filters().contains(WatchCreateRequest.FilterType.NODELETE);
      this.prevKv = r.prevKv();
      this.fragment = r.fragment();
      this.progressNotify = r.progressNotify();
      this.nextRev = nextRev;
    }

    boolean matches(Event e) {
      if (e.type() == Event.EventType.PUT ? noPut : noDelete) {
        return false;
      }
      byte[] k = e.kv().key();
      if (end == null) {
        return Bytes.compare(k, key) == 0;
      }
      return Bytes.compare(k, key) >= 0 && (end.length == 0 || Bytes.compare(k, end) < 0);
    }
  }

  private final WatchHub hub;
  private final MvccStore store;
  private final Runnable onReady;
  private final TreeMap<Long, Watcher> watchers = new TreeMap<>();
  private final ArrayDeque<WatchResponse> control = new ArrayDeque<>();
  private long nextId;
  private long cursor = Long.MIN_VALUE;
  private boolean progressRequested;

  WatchStream(WatchHub hub, Runnable onReady) {
    this.hub = hub;
    this.store = hub.store;
    this.onReady = onReady;
  }

  void signal() {
    if (onReady != null) {
      onReady.run();
    }
  }

  /**
   * Creates a watcher; its {@code created} response (or a canceled one for a bad request) is the
   * next thing {@link #poll} returns for it. A start revision below the compaction point is
   * answered, on poll, by a canceled response carrying compact_revision.
   *
   * @return the watch id, or -1 if the create was refused (empty range, duplicate id), as etcd
   */
  public long create(WatchCreateRequest r) {
    synchronized (store) {
      long cur = store.currentRevision;
      byte[] end = KeyIndex.end(r.rangeEnd());
      // etcd answers a refused create with watch id -1 and checks the range before it picks an id
      long id = -1;
      if (end != null && end.length > 0 && Bytes.compare(r.key(), end) >= 0) {
        control.add(WatchResponse.control(cur, id, true, true, "mvcc: watcher range is empty"));
      } else if (r.watchId() != 0 && watchers.containsKey(r.watchId())) {
        control.add(
            WatchResponse.control(
                cur, id, true, true, "mvcc: duplicate watch ID provided on the WatchStream"));
      } else {
        id = r.watchId() != 0 ? r.watchId() : freeId();
        // only 0 means "now": etcd keeps a negative start, which then falls below the compaction
        long start = r.startRevision() != 0 ? r.startRevision() : cur + 1;
        Watcher w = new Watcher(id, r, end, start);
        w.live = start > cur;
        watchers.put(id, w);
        control.add(WatchResponse.control(cur, id, true, false, ""));
      }
      signal();
      return id;
    }
  }

  private long freeId() {
    while (watchers.containsKey(nextId)) {
      nextId++;
    }
    return nextId++;
  }

  /** Cancels a watcher; poll returns its canceled response. Unknown ids are ignored. */
  public void cancel(long watchId) {
    synchronized (store) {
      if (watchers.remove(watchId) != null) {
        control.add(WatchResponse.control(store.currentRevision, watchId, false, true, ""));
        signal();
      }
    }
  }

  /**
   * A progress_request: once every watcher has been sent all events up to the current revision,
   * poll returns a response with watch id -1 and that revision.
   */
  public void requestProgress() {
    synchronized (store) {
      progressRequested = true;
      signal();
    }
  }

  /**
   * The periodic progress notification (the caller's timer, etcd's 10 minutes): every watcher
   * created with progress_notify that is caught up gets an empty response at the current revision.
   */
  public void progressNotify() {
    synchronized (store) {
      for (Watcher w : watchers.values()) {
        w.progressDue = w.progressNotify;
      }
      signal();
    }
  }

  /** Closes the stream; its watchers stop. */
  public void close() {
    synchronized (store) {
      watchers.clear();
      hub.close(this);
    }
  }

  /**
   * The responses ready now, at most about {@code maxResponses} (whole revisions are never cut
   * short to honour it). Never blocks on a watcher; returns an empty list when nothing is pending.
   * The store's lock is taken per watcher, so a poll delays the apply path by at most one page
   * read; watchers are served round-robin across polls. One poller per stream.
   */
  public List<WatchResponse> poll(int maxResponses) {
    List<WatchResponse> out = new ArrayList<>();
    List<Long> order;
    synchronized (store) {
      store.checkUsable();
      while (!control.isEmpty() && out.size() < maxResponses) {
        out.add(control.poll());
      }
      order = new ArrayList<>(watchers.tailMap(cursor, false).keySet());
      order.addAll(watchers.headMap(cursor, true).keySet());
    }
    for (long id : order) {
      if (out.size() >= maxResponses) {
        break;
      }
      synchronized (store) {
        Watcher w = watchers.get(id);
        if (w != null) {
          deliver(w, out);
          cursor = id;
        }
      }
    }
    synchronized (store) {
      if (progressRequested && control.isEmpty() && caughtUp()) {
        out.add(WatchResponse.control(store.currentRevision, -1, false, false, ""));
        progressRequested = false;
      }
    }
    return out;
  }

  private boolean caughtUp() {
    for (Watcher w : watchers.values()) {
      if (w.nextRev <= store.currentRevision) {
        return false;
      }
    }
    return true;
  }

  private void deliver(Watcher w, List<WatchResponse> out) {
    long cur = store.currentRevision;
    boolean ringHasIt = w.nextRev >= hub.ring.coveredFrom();
    if (w.nextRev < store.compactRevision && !(w.live && ringHasIt)) {
      watchers.remove(w.id);
      // etcd sends this response without a header revision (0) and sets canceled from
      // compact_revision != 0: a negative start on a store compacted at 0 gets an empty,
      // uncanceled response and nothing more (checked against etcd 3.4.23)
      out.add(
          new WatchResponse(
              ResponseHeader.ofRevision(0),
              w.id,
              false,
              store.compactRevision != 0,
              store.compactRevision,
              "",
              false,
              List.of()));
      return;
    }
    if (w.nextRev > cur) {
      if (w.progressDue) {
        out.add(WatchResponse.events(cur, w.id, false, List.of()));
      }
      w.progressDue = false;
      return;
    }
    List<Event> events;
    long scannedTo;
    // a synced watcher fed from the ring gets one response per revision, as etcd's notify
    boolean perRevision = false;
    // At the compact revision itself the ring may still hold a compacted tombstone; storage
    // (like etcd's backend) no longer has it, so such a watcher reads storage.
    if (ringHasIt && (w.live || w.nextRev > store.compactRevision)) {
      events = hub.ring.from(w.nextRev);
      scannedTo = cur;
      perRevision = w.live;
    } else {
      List<RevisionRow> rows = store.history(w.nextRev, 0, cur, SCAN_ROWS);
      scannedTo = cur;
      if (rows.size() == SCAN_ROWS) {
        long last = rows.get(rows.size() - 1).revision().main();
        if (rows.get(0).revision().main() == last) {
          rows = new ArrayList<>(rows);
          List<RevisionRow> more = rows;
          while (more.size() == SCAN_ROWS) {
            Revision after = rows.get(rows.size() - 1).revision();
            more = store.history(last, after.sub() + 1, last, SCAN_ROWS);
            rows.addAll(more);
          }
        } else {
          long partial = last;
          rows = rows.stream().filter(r -> r.revision().main() < partial).toList();
          last = partial - 1;
        }
        scannedTo = last;
      }
      events = new ArrayList<>(rows.size());
      for (RevisionRow r : rows) {
        events.add(
            new Event(r.tombstone() ? Event.EventType.DELETE : Event.EventType.PUT, r.kv(), null));
      }
    }
    List<Event> matched = new ArrayList<>();
    for (Event e : events) {
      if (e.kv().modRevision() <= scannedTo && w.matches(e)) {
        matched.add(w.prevKv ? e.withPrevKv(store.get(e.kv().key(), e.kv().modRevision() - 1)) : e);
      }
    }
    w.nextRev = scannedTo + 1;
    w.live |= scannedTo == cur;
    w.progressDue = false;
    if (matched.isEmpty()) {
      return;
    }
    if (!perRevision) {
      // catching up (etcd's unsynced watcher): one response up to the scanned revision
      send(w, matched, scannedTo, out);
      return;
    }
    int from = 0;
    for (int i = 1; i <= matched.size(); i++) {
      long rev = matched.get(i - 1).kv().modRevision();
      if (i == matched.size() || matched.get(i).kv().modRevision() != rev) {
        send(w, matched.subList(from, i), rev, out);
        from = i;
      }
    }
  }

  /** One response per watcher poll; a revision bigger than the request limit is fragmented. */
  private void send(Watcher w, List<Event> events, long rev, List<WatchResponse> out) {
    long limit = store.config.maxRequestBytes();
    if (!w.fragment || size(events) <= limit) {
      out.add(WatchResponse.events(rev, w.id, false, events));
      return;
    }
    List<Event> part = new ArrayList<>();
    long bytes = 0;
    for (Event e : events) {
      long s = size(List.of(e));
      if (!part.isEmpty() && bytes + s > limit) {
        out.add(WatchResponse.events(rev, w.id, true, part));
        part = new ArrayList<>();
        bytes = 0;
      }
      part.add(e);
      bytes += s;
    }
    out.add(WatchResponse.events(rev, w.id, false, part));
  }

  private static long size(List<Event> events) {
    long s = 0;
    for (Event e : events) {
      s += e.kv().key().length + e.kv().value().length + 32;
      if (e.prevKv() != null) {
        s += e.prevKv().key().length + e.prevKv().value().length + 32;
      }
    }
    return s;
  }
}
