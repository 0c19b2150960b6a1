package io.kvorum.raft.jpa;

import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.LogStorage;
import java.util.Arrays;
import java.util.List;

/**
 * The log's bounds and the term of every entry, kept in memory as runs of equal terms, so {@link
 * LogStorage#term}, {@code firstIndex} and {@code lastIndex} never touch the database. Terms only
 * change when a new leader appends, so a log of millions of entries has a handful of runs.
 *
 * <p>Invariants: {@code snapIndex <= lastIndex}; run starts strictly increase, the first is {@code
 * snapIndex + 1} and the last at most {@code lastIndex} (no runs when the log is empty).
 *
 * <p>Not thread-safe.
 */
final class TermRuns {
  private long snapIndex;
  private long snapTerm;
  private long lastIndex;
  private long[] starts = new long[8];
  private long[] terms = new long[8];
  private int runs;

  /** An empty log after a snapshot at (index, term). */
  TermRuns(long snapIndex, long snapTerm) {
    reset(snapIndex, snapTerm);
  }

  long firstIndex() {
    return snapIndex + 1;
  }

  long lastIndex() {
    return lastIndex;
  }

  /** Same contract as {@link LogStorage#term}. */
  long term(long index) {
    if (index == snapIndex) {
      return snapTerm;
    }
    if (index < snapIndex || index > lastIndex) {
      return LogStorage.UNAVAILABLE;
    }
    int i = Arrays.binarySearch(starts, 0, runs, index);
    return terms[i >= 0 ? i : -i - 2];
  }

  /** Empties the log and sets the snapshot it starts after. */
  void reset(long snapIndex, long snapTerm) {
    this.snapIndex = snapIndex;
    this.snapTerm = snapTerm;
    this.lastIndex = snapIndex;
    runs = 0;
  }

  /** Adds a run found in the database at restart; runs must be added in index order. */
  void addRun(long start, long term, long runLastIndex) {
    if (start != lastIndex + 1) {
      throw new IllegalStateException("raft_entry: run at " + start + " after " + lastIndex);
    }
    push(start, term);
    lastIndex = runLastIndex;
  }

  /**
   * Replaces the log from {@code ents.get(0).index()} on by {@code ents} (contiguous, starting
   * after the snapshot and at most at lastIndex + 1).
   */
  void append(List<Entry> ents) {
    long first = ents.get(0).index();
    truncateFrom(first);
    for (Entry e : ents) {
      if (runs == 0 || terms[runs - 1] != e.term()) {
        push(e.index(), e.term());
      }
    }
    lastIndex = ents.get(ents.size() - 1).index();
  }

  /** Drops entries up to {@code index} (which is at most lastIndex), now covered by a snapshot. */
  void compactTo(long index) {
    long term = term(index);
    int keepFrom = 0;
    while (keepFrom < runs && starts[keepFrom] <= index) {
      keepFrom++;
    }
    // The run containing index + 1 may have started at or before index: it now starts at index + 1.
    boolean splitRun = index < lastIndex && (keepFrom == runs || starts[keepFrom] != index + 1);
    long splitTerm = splitRun ? term(index + 1) : 0;
    long last = lastIndex;
    int n = runs - keepFrom;
    long[] oldStarts = Arrays.copyOfRange(starts, keepFrom, runs);
    long[] oldTerms = Arrays.copyOfRange(terms, keepFrom, runs);
    reset(index, term);
    if (splitRun) {
      push(index + 1, splitTerm);
    }
    for (int i = 0; i < n; i++) {
      push(oldStarts[i], oldTerms[i]);
    }
    lastIndex = last;
  }

  private void truncateFrom(long index) {
    while (runs > 0 && starts[runs - 1] >= index) {
      runs--;
    }
    lastIndex = index - 1;
  }

  private void push(long start, long term) {
    if (runs == starts.length) {
      starts = Arrays.copyOf(starts, runs * 2);
      terms = Arrays.copyOf(terms, runs * 2);
    }
    starts[runs] = start;
    terms[runs] = term;
    runs++;
  }
}
