package io.kvorum.raft.jpa;

import io.kvorum.raft.core.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent persisted entries, so the reads the core makes most (entries just appended, to
 * replicate to followers and to apply once committed) need no database round trip. Holds a
 * contiguous run of entries ending at the log's last index, at most {@code maxBytes} (by {@link
 * Entry#sizeBytes()}) but always the newest entry appended. Updated only after the transaction that
 * wrote the entries committed.
 *
 * <p>Not thread-safe.
 */
final class EntryCache {
  private final long maxBytes;
  // entries.get(head + i).index() == firstIndex() + i; slots before head are dropped lazily.
  private final ArrayList<Entry> entries = new ArrayList<>();
  private int head;
  private long bytes;

  EntryCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Records entries just persisted: {@code ents} (contiguous) replaced the log from their first
   * index on, which was at most the log's last index + 1.
   */
  void append(List<Entry> ents) {
    if (maxBytes <= 0) {
      return;
    }
    long first = ents.get(0).index();
    if (isEmpty() || first < firstIndex() || first > lastIndex() + 1) {
      clear();
    }
    while (!isEmpty() && lastIndex() >= first) {
      bytes -= entries.remove(entries.size() - 1).sizeBytes();
    }
    for (Entry e : ents) {
      entries.add(e);
      bytes += e.sizeBytes();
    }
    while (bytes > maxBytes && entries.size() - head > 1) {
      dropFirst();
    }
  }

  /** Forgets entries up to {@code index} (compacted into a snapshot). */
  void dropThrough(long index) {
    while (!isEmpty() && firstIndex() <= index) {
      dropFirst();
    }
  }

  void clear() {
    entries.clear();
    head = 0;
    bytes = 0;
  }

  /**
   * Returns entries [lo, hi) with {@link io.kvorum.raft.core.LogStorage#entries}'s size rule, or
   * null if {@code lo} is not cached (hi is at most the log's last index + 1, so the cache, which
   * ends at the last index, covers the rest).
   */
  List<Entry> get(long lo, long hi, long maxBytesWanted) {
    if (isEmpty() || lo < firstIndex() || hi > lastIndex() + 1) {
      return null;
    }
    List<Entry> out = new ArrayList<>();
    long size = 0;
    for (int i = head + (int) (lo - firstIndex()); i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (e.index() >= hi) {
        break;
      }
      size += e.sizeBytes();
      if (!out.isEmpty() && size > maxBytesWanted) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  private boolean isEmpty() {
    return head == entries.size();
  }

  private long firstIndex() {
    return entries.get(head).index();
  }

  private long lastIndex() {
    return entries.get(entries.size() - 1).index();
  }

  private void dropFirst() {
    bytes -= entries.get(head).sizeBytes();
    entries.set(head++, null);
    if (head == entries.size()) {
      clear();
    } else if (head > 1024 && head > entries.size() / 2) {
      entries.subList(0, head).clear();
      head = 0;
    }
  }
}
