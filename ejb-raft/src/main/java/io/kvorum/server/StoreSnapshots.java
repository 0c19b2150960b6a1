package io.kvorum.server;

import io.kvorum.kv.core.MvccStore;
import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.DurableLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Logger;

/**
 * The two ways the MVCC store and the Raft log's snapshot meet (driver thread only): every {@code
 * snapshot-count} applied entries the store's state becomes the log's snapshot and the entries it
 * covers are dropped; when the log holds a newer snapshot than the store (installed from the
 * leader, or a restore interrupted by a crash), the store is restored from it.
 */
final class StoreSnapshots {
  private static final Logger LOG = Logger.getLogger(StoreSnapshots.class.getName());
  private static final int CHUNK_BYTES = 1 << 20;

  private final String member;
  private final DurableLog log;
  private final MvccStore store;
  private long count;

  StoreSnapshots(long memberId, DurableLog log, MvccStore store) {
    this.member = Long.toHexString(memberId);
    this.log = log;
    this.store = store;
  }

  /** Applied entries between snapshots (etcd's {@code snapshot-count}); 0 never snapshots. */
  void setCount(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("snapshot-count must be >= 0, not " + count);
    }
    this.count = count;
  }

  /** Whether the log's snapshot is ahead of the store, which must then be restored from it. */
  boolean storeBehindLog() {
    return store.appliedIndex() < log.snapshot().index();
  }

  /** Replaces the store's state with the log's snapshot. */
  void restoreStore() {
    long started = System.nanoTime();
    store.restoreSnapshot(SnapshotStreams.chunks(log.snapshotData(), CHUNK_BYTES));
    if (store.appliedIndex() != log.snapshot().index()) {
      throw new IllegalStateException(
          "snapshot data is for index "
              + store.appliedIndex()
              + " but the log's snapshot is at "
              + log.snapshot().index());
    }
    LOG.info(
        () ->
            "member "
                + member
                + " restored its store from the snapshot at index "
                + log.snapshot().index()
                + " (revision "
                + store.currentRevision()
                + ", "
                + (System.nanoTime() - started) / 1_000_000
                + " ms)");
  }

  /**
   * Snapshots the store if {@code count} entries were applied since the last snapshot. Call after
   * the core's advance, so that {@code confState} is the membership at {@code applied}.
   */
  void createIfDue(long applied, ConfState confState) {
    if (count == 0 || applied - log.snapshot().index() < count) {
      return;
    }
    long started = System.nanoTime();
    try {
      log.createSnapshot(applied, confState, SnapshotStreams.of(store.snapshot(CHUNK_BYTES)));
    } catch (IOException e) {
      throw new UncheckedIOException("creating a snapshot at " + applied, e);
    }
    LOG.info(
        () ->
            "member "
                + member
                + " snapshotted at index "
                + applied
                + " ("
                + log.snapshot().size()
                + " bytes, "
                + (System.nanoTime() - started) / 1_000_000
                + " ms); the log behind it is dropped");
  }
}
