package io.kvorum.kv.core;

import java.util.List;
import java.util.function.Consumer;

/**
 * The storage port of the MVCC core: rows keyed by revision, leases, and one metadata record. The
 * core keeps its key index in memory and treats the backend as the source of truth; it reads values
 * through {@link #fetch} and history through {@link #history}, and writes only through {@link
 * #commit}, once per applied batch.
 *
 * <p>Threading: the core calls a backend from one thread at a time (all {@link MvccStore} methods
 * are synchronized). Implementations need not be thread-safe. Every method may throw an unchecked
 * exception on a storage failure; the store then refuses further work until reopened.
 */
public interface KvBackend {
  /**
   * Reads the metadata and streams every stored revision, ordered by revision, into {@code sink}.
   * Called once when a store opens.
   *
   * @return the stored metadata, or {@link StoreMeta#EMPTY} for an empty backend
   */
  StoreMeta load(Consumer<IndexEntry> sink);

  /** Every stored lease, in any order. Called once when a store opens. */
  List<LeaseRecord> loadLeases();

  /**
   * The rows of the given revisions, in the same order. A revision that is not stored gives null.
   */
  List<KeyValue> fetch(List<Revision> revisions);

  /**
   * Up to {@code maxRows} stored rows from revision (fromMain, fromSub) on with {@code main <=
   * toMain}, ordered by revision (main, sub). Used for watch history replay, hashes and snapshots;
   * must not load more than {@code maxRows} rows into memory. Returns what is physically stored,
   * including compacted rows whose deletion is still pending: the store filters those out.
   */
  List<RevisionRow> history(long fromMain, int fromSub, long toMain, int maxRows);

  /**
   * Writes a batch atomically: all of it or nothing (inserts, range deletes, lease changes, and the
   * metadata unless it is null). After it returns, the batch is durable as far as the
   * implementation promises (JPA: the transaction committed).
   */
  void commit(WriteBatch batch);

  /**
   * True if nothing has ever been committed (no metadata, no rows): a snapshot may restore here.
   */
  boolean isEmpty();

  /**
   * Removes everything (rows, leases, metadata) in one transaction, so that a snapshot can be
   * restored here ({@link MvccStore#restoreSnapshot}).
   */
  void clear();
}
