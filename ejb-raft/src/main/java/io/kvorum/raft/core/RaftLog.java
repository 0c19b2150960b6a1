package io.kvorum.raft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The log as the protocol sees it: the persisted part in {@link LogStorage} followed by the {@link
 * UnstableLog}, plus the commit and apply cursors.
 */
final class RaftLog {
  final LogStorage storage;
  final UnstableLog unstable;

  /** Highest index known committed. Invariant: applied <= committed <= lastIndex(). */
  long committed;

  /**
   * Highest index the application has applied (advanced past). Invariant: applied <= committed;
   * applied >= firstIndex() - 1 except while a received snapshot waits to be persisted.
   */
  long applied;

  private final long maxCommittedBytes;

  RaftLog(LogStorage storage, long maxCommittedBytes) {
    this.storage = storage;
    this.maxCommittedBytes = maxCommittedBytes;
    this.unstable = new UnstableLog(storage.lastIndex() + 1);
    this.committed = storage.firstIndex() - 1;
    this.applied = storage.firstIndex() - 1;
  }

  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i >= 0 ? i : storage.firstIndex();
  }

  long lastIndex() {
    long i = unstable.maybeLastIndex();
    return i >= 0 ? i : storage.lastIndex();
  }

  long lastTerm() {
    return term(lastIndex());
  }

  /** Returns the term at {@code i}, or {@link LogStorage#UNAVAILABLE} if compacted or absent. */
  long term(long i) {
    if (i < firstIndex() - 1 || i > lastIndex()) {
      return LogStorage.UNAVAILABLE;
    }
    long t = unstable.maybeTerm(i);
    return t >= 0 ? t : storage.term(i);
  }

  boolean matchTerm(long i, long t) {
    long have = term(i);
    return have != LogStorage.UNAVAILABLE && have == t;
  }

  /** Raft's election restriction (Figure 2, RequestVote receiver rule 2). */
  boolean isUpToDate(long lastIdx, long lastTrm) {
    long myTerm = lastTerm();
    return lastTrm > myTerm || (lastTrm == myTerm && lastIdx >= lastIndex());
  }

  /**
   * Appends a leader's entries following (index, logTerm) if the log matches there (Figure 2,
   * AppendEntries receiver rules 2-5).
   *
   * @return the last index of the new entries, or -1 if the log does not match
   */
  long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> ents) {
    if (!matchTerm(index, logTerm)) {
      return -1;
    }
    long lastNew = index + ents.size();
    long conflict = findConflict(ents);
    if (conflict != 0) {
      if (conflict <= committed) {
        throw new IllegalStateException("entry " + conflict + " conflicts with committed entry");
      }
      append(ents.subList((int) (conflict - index - 1), ents.size()));
    }
    commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** Returns the first index whose term differs from ours (or is new), or 0 if all match. */
  private long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.index(), e.term())) {
        return e.index();
      }
    }
    return 0;
  }

  /**
   * Returns the largest index <= {@code index} whose term is <= {@code term}: the fast-backtrack
   * hint (all entries above it are known not to match a log whose entry at index has that term).
   */
  long findConflictByTerm(long index, long term) {
    for (long i = Math.min(index, lastIndex()); i > 0; i--) {
      long t = term(i);
      if (t == LogStorage.UNAVAILABLE || t <= term) {
        return i;
      }
    }
    return 0;
  }

  /** Appends entries after truncating any conflicting uncommitted suffix. */
  long append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return lastIndex();
    }
    if (ents.get(0).index() - 1 < committed) {
      throw new IllegalStateException("append at " + ents.get(0).index() + " below commit");
    }
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  void commitTo(long c) {
    if (c > committed) {
      if (c > lastIndex()) {
        throw new IllegalStateException("commit " + c + " beyond last index " + lastIndex());
      }
      committed = c;
    }
  }

  /** Commits {@code maxIndex} if its entry is from {@code term} (Figure 2: leaders' rule 4). */
  boolean maybeCommit(long maxIndex, long term) {
    if (maxIndex > committed && term(maxIndex) == term) {
      commitTo(maxIndex);
      return true;
    }
    return false;
  }

  void appliedTo(long i) {
    if (i > committed || i < applied) {
      throw new IllegalStateException("applied " + i + " out of [" + applied + "," + committed);
    }
    applied = i;
  }

  /** Returns entries from {@code lo} up to {@code maxBytes}, empty if none, null if compacted. */
  List<Entry> entriesFrom(long lo, long maxBytes) {
    if (lo > lastIndex()) {
      return List.of();
    }
    return slice(lo, lastIndex() + 1, maxBytes);
  }

  boolean hasNextCommittedEntries() {
    return unstable.snapshot == null && committed > Math.max(applied, firstIndex() - 1);
  }

  /** Returns the committed entries to apply next, bounded by the max committed bytes. */
  List<Entry> nextCommittedEntries() {
    if (!hasNextCommittedEntries()) {
      return List.of();
    }
    long lo = Math.max(applied + 1, firstIndex());
    return slice(lo, committed + 1, maxCommittedBytes);
  }

  /** Returns [lo, hi) limited to maxBytes (at least one entry), or null if lo was compacted. */
  List<Entry> slice(long lo, long hi, long maxBytes) {
    if (lo < firstIndex()) {
      return null;
    }
    if (hi > lastIndex() + 1) {
      throw new IllegalArgumentException("slice beyond last index");
    }
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    if (lo < unstable.offset) {
      long stableHi = Math.min(hi, unstable.offset);
      List<Entry> stored = storage.entries(lo, stableHi, maxBytes);
      for (Entry e : stored) {
        bytes += e.sizeBytes();
      }
      out.addAll(stored);
      if (stored.size() < stableHi - lo) {
        return out;
      }
    }
    if (hi > unstable.offset) {
      for (Entry e : unstable.slice(Math.max(lo, unstable.offset), hi)) {
        bytes += e.sizeBytes();
        if (!out.isEmpty() && bytes > maxBytes) {
          break;
        }
        out.add(e);
      }
    }
    return out;
  }

  /** Installs a snapshot received from the leader: the whole log is replaced. */
  void restore(SnapshotMetadata meta) {
    committed = meta.index();
    unstable.restore(meta);
  }
}
