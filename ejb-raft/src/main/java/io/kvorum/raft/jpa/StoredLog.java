package io.kvorum.raft.jpa;

import io.kvorum.raft.core.HardState;
import io.kvorum.raft.core.SnapshotMetadata;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.List;

/**
 * What {@link JpaLogStorage} reads when it opens: the hard state and snapshot rows (null when
 * absent), and the log's runs of equal terms, found with one self-join instead of a scan of every
 * entry into memory.
 *
 * @param hardState the stored hard state, or null
 * @param snapshot the stored snapshot metadata, or null
 * @param snapshotChecksum the CRC-32C stored with it (0 if none)
 * @param runStarts (index, term) of each entry whose predecessor is absent or has another term
 * @param minIndex the smallest stored index (0 if no entries)
 * @param maxIndex the largest stored index (0 if no entries)
 * @param count the number of stored entries
 */
record StoredLog(
    HardState hardState,
    SnapshotMetadata snapshot,
    long snapshotChecksum,
    List<Object[]> runStarts,
    long minIndex,
    long maxIndex,
    long count) {

  /** Creates the tables if needed, discards staging snapshot rows and reads the log. */
  static StoredLog load(EntityManager em) {
    RaftLogSchema.create(em);
    SnapshotRows.clear(em, RaftLogSchema.RECEIVING);
    SnapshotRows.clear(em, RaftLogSchema.CREATING);
    HardState hs = null;
    for (Object[] r :
        rows(em.createNativeQuery("SELECT term, vote, commit_index FROM raft_hard_state"))) {
      hs = new HardState(num(r[0]), num(r[1]), num(r[2]));
    }
    SnapshotMetadata snap = null;
    long checksum = 0;
    for (Object[] r :
        rows(
            em.createNativeQuery(
                "SELECT snap_index, snap_term, voters, learners, size_bytes, checksum"
                    + " FROM raft_snapshot"))) {
      snap =
          new SnapshotMetadata(
              num(r[0]),
              num(r[1]),
              ConfStateCodec.confState((String) r[2], (String) r[3]),
              num(r[4]));
      checksum = num(r[5]);
    }
    List<Object[]> runs =
        rows(
            em.createNativeQuery(
                "SELECT e.idx, e.term FROM raft_entry e LEFT JOIN raft_entry p"
                    + " ON p.idx = e.idx - 1 AND p.term = e.term"
                    + " WHERE p.idx IS NULL ORDER BY e.idx"));
    Object[] bounds =
        rows(em.createNativeQuery("SELECT MIN(idx), MAX(idx), COUNT(*) FROM raft_entry")).get(0);
    long count = num(bounds[2]);
    return new StoredLog(
        hs,
        snap,
        checksum,
        runs,
        count == 0 ? 0 : num(bounds[0]),
        count == 0 ? 0 : num(bounds[1]),
        count);
  }

  /**
   * Builds the in-memory term index of the stored log after {@code snap}.
   *
   * @throws IllegalStateException if the entries are not exactly (snap.index(), maxIndex]
   */
  TermRuns termRuns(SnapshotMetadata snap) {
    TermRuns log = new TermRuns(snap.index(), snap.term());
    if (count == 0) {
      return log;
    }
    if (minIndex != snap.index() + 1 || maxIndex - minIndex + 1 != count) {
      throw new IllegalStateException(
          "raft_entry holds "
              + count
              + " entries in ["
              + minIndex
              + ", "
              + maxIndex
              + "], expected a contiguous log after snapshot index "
              + snap.index());
    }
    for (int i = 0; i < runStarts.size(); i++) {
      long end = i + 1 < runStarts.size() ? num(runStarts.get(i + 1)[0]) - 1 : maxIndex;
      log.addRun(num(runStarts.get(i)[0]), num(runStarts.get(i)[1]), end);
    }
    return log;
  }

  @SuppressWarnings("unchecked")
  static List<Object[]> rows(Query q) {
    return q.getResultList();
  }

  static long num(Object o) {
    return ((Number) o).longValue();
  }
}
