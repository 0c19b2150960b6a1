package io.kvorum.raft.core;

import java.util.List;

/**
 * The durable log as the core reads it. The application writes it (entries, hard state and
 * snapshots from each {@link Ready}); the core only reads. Implementations: {@link
 * MemoryLogStorage} for tests and the simulator, a JPA one in the product.
 *
 * <p>Threading: called only from the thread driving the {@link RawNode}, never concurrently with
 * the application's writes to the same storage (the driver is single-threaded). Methods must not
 * throw for arguments within the documented ranges; the core never asks outside them.
 */
public interface LogStorage {
  /** Term returned by {@link #term(long)} for an index outside [firstIndex-1, lastIndex]. */
  long UNAVAILABLE = -1;

  /** Returns the persisted hard state ({@link HardState#EMPTY} for a fresh node). */
  HardState hardState();

  /**
   * Returns the metadata of the latest snapshot; {@link SnapshotMetadata#EMPTY} if there is none. A
   * node bootstrapping a new cluster reports a snapshot at index 0 whose conf state lists the
   * initial voters; a node that will be added later reports {@link ConfState#EMPTY}.
   */
  SnapshotMetadata snapshot();

  /**
   * Returns up to {@code maxBytes} of the snapshot's data starting at {@code offset}.
   *
   * @param offset in [0, snapshot().size())
   * @param maxBytes at least 1
   * @return at least one byte
   */
  byte[] snapshotChunk(long offset, int maxBytes);

  /** Returns the first index still in the log: {@code snapshot().index() + 1}. */
  long firstIndex();

  /** Returns the last index in the log ({@code firstIndex() - 1} when the log is empty). */
  long lastIndex();

  /**
   * Returns the term of the entry at {@code index}: the snapshot's term at {@code firstIndex()-1},
   * {@link #UNAVAILABLE} outside [firstIndex()-1, lastIndex()].
   */
  long term(long index);

  /**
   * Returns entries [lo, hi) of total size at most {@code maxBytes}, but at least one.
   *
   * @param lo at least {@code firstIndex()}
   * @param hi at most {@code lastIndex() + 1}, greater than lo
   */
  List<Entry> entries(long lo, long hi, long maxBytes);
}
