package io.kvorum.raft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Entries and a snapshot the core has accepted but the application has not yet persisted. They are
 * handed out in {@link Ready} and move to {@link LogStorage} when the caller advances.
 */
final class UnstableLog {
  /** A snapshot received from the leader and not yet persisted; null if none. */
  SnapshotMetadata snapshot;

  /** Unpersisted entries; invariant: entries.get(i).index() == offset + i. */
  private final ArrayList<Entry> entries = new ArrayList<>();

  /** Index of the first unstable entry (or where it will go); invariant: offset >= 1. */
  long offset;

  UnstableLog(long offset) {
    this.offset = offset;
  }

  /** Returns the first index if a snapshot is pending, else -1. */
  long maybeFirstIndex() {
    return snapshot != null ? snapshot.index() + 1 : -1;
  }

  /** Returns the last unstable index (entry or snapshot), else -1. */
  long maybeLastIndex() {
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
    }
    return snapshot != null ? snapshot.index() : -1;
  }

  /** Returns the term at {@code i} if known here, else -1. */
  long maybeTerm(long i) {
    if (i < offset) {
      return snapshot != null && snapshot.index() == i ? snapshot.term() : -1;
    }
    long last = maybeLastIndex();
    if (last < 0 || i > last) {
      return -1;
    }
    return entries.get((int) (i - offset)).term();
  }

  List<Entry> entries() {
    return entries;
  }

  /** Entries up to (i, t) were persisted: forget them, unless they were replaced meanwhile. */
  void stableTo(long i, long t) {
    if (i < offset || maybeTerm(i) != t) {
      return;
    }
    entries.subList(0, (int) (i + 1 - offset)).clear();
    offset = i + 1;
  }

  /** The pending snapshot at {@code i} was persisted. */
  void stableSnapTo(long i) {
    if (snapshot != null && snapshot.index() == i) {
      snapshot = null;
    }
  }

  /** Replaces everything by a snapshot received from the leader. */
  void restore(SnapshotMetadata meta) {
    offset = meta.index() + 1;
    entries.clear();
    snapshot = meta;
  }

  /** Appends, truncating any unstable suffix that conflicts. */
  void truncateAndAppend(List<Entry> ents) {
    long after = ents.get(0).index();
    if (after == offset + entries.size()) {
      entries.addAll(ents);
    } else if (after <= offset) {
      // Replaces every unstable entry; the storage part before 'after' stays valid.
      offset = after;
      entries.clear();
      entries.addAll(ents);
    } else {
      entries.subList((int) (after - offset), entries.size()).clear();
      entries.addAll(ents);
    }
  }

  /** Returns entries [lo, hi); requires offset <= lo <= hi <= last + 1. */
  List<Entry> slice(long lo, long hi) {
    return entries.subList((int) (lo - offset), (int) (hi - offset));
  }
}
