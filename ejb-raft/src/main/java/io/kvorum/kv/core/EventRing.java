package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The most recent events, shared by all watchers, bounded to a fixed number of events. It covers
 * every revision from {@link #coveredFrom()} on: a watcher behind that point catches up from
 * storage instead, so a slow watcher costs no memory on the apply path.
 */
final class EventRing {
  private final Event[] ring;
  private int head;
  private int size;
  private long coveredFrom;

  EventRing(int capacity, long currentRevision) {
    ring = new Event[capacity];
    coveredFrom = currentRevision + 1;
  }

  /** Empties the ring; it covers revisions from {@code from} on. */
  void reset(long from) {
    Arrays.fill(ring, null);
    head = 0;
    size = 0;
    coveredFrom = from;
  }

  /** Appends the events of a committed batch (ordered by revision). */
  void append(List<Event> events) {
    for (Event e : events) {
      if (size == ring.length) {
        Event old = ring[head];
        head = (head + 1) % ring.length;
        size--;
        coveredFrom = Math.max(coveredFrom, old.kv().modRevision() + 1);
      }
      ring[(head + size) % ring.length] = e;
      size++;
    }
  }

  /** The first revision whose events are all in the ring. */
  long coveredFrom() {
    return coveredFrom;
  }

  /** The events with revision &gt;= {@code from}, oldest first; requires from &gt;= coveredFrom. */
  List<Event> from(long from) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ring[(head + mid) % ring.length].kv().modRevision() < from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    List<Event> out = new ArrayList<>(size - lo);
    for (int i = lo; i < size; i++) {
      Event e = ring[(head + i) % ring.length];
      if (e.kv().modRevision() >= coveredFrom) {
        out.add(e);
      }
    }
    return out;
  }
}
