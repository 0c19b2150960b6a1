package io.kvorum.raft.core;

/**
 * The append messages sent to one follower and not yet acknowledged, as a ring of their last
 * indexes. Bounds pipelining: the leader stops sending when the window is full.
 */
final class Inflights {
  private final long[] lastIndexes;
  private int start;

  /** Number of messages in flight; invariant: 0 <= count <= lastIndexes.length. */
  private int count;

  Inflights(int capacity) {
    lastIndexes = new long[capacity];
  }

  boolean full() {
    return count == lastIndexes.length;
  }

  int count() {
    return count;
  }

  /** Records an append whose last entry is {@code index}; indexes must increase. */
  void add(long index) {
    if (full()) {
      throw new IllegalStateException("inflight window full");
    }
    lastIndexes[(start + count) % lastIndexes.length] = index;
    count++;
  }

  /** Forgets every message whose last index is <= {@code index} (acknowledged). */
  void freeLE(long index) {
    while (count > 0 && lastIndexes[start] <= index) {
      start = (start + 1) % lastIndexes.length;
      count--;
    }
  }

  /** Forgets the oldest message in flight. */
  void freeFirstOne() {
    if (count > 0) {
      start = (start + 1) % lastIndexes.length;
      count--;
    }
  }

  void reset() {
    start = 0;
    count = 0;
  }
}
