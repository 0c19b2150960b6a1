package io.kvorum.raft.jpa;

import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * Snapshot data as rows of {@code raft_snapshot_chunk} in a slot ({@link RaftLogSchema#CURRENT},
 * {@link RaftLogSchema#RECEIVING}, {@link RaftLogSchema#CREATING}), each row a piece at its byte
 * offset. Rows need not have equal sizes: received ones are as large as the leader's chunks.
 */
final class SnapshotRows {
  private SnapshotRows() {}

  /** Deletes a slot's rows (flushing pending inserts first, so none of them survives). */
  static Void clear(EntityManager em, short slot) {
    em.flush();
    em.createNativeQuery("DELETE FROM raft_snapshot_chunk WHERE slot = ?1")
        .setParameter(1, slot)
        .executeUpdate();
    return null;
  }

  /** Makes a staging slot's rows the current snapshot's data, replacing the old data. */
  static void promote(EntityManager em, short from) {
    clear(em, RaftLogSchema.CURRENT);
    em.createNativeQuery("UPDATE raft_snapshot_chunk SET slot = ?1 WHERE slot = ?2")
        .setParameter(1, RaftLogSchema.CURRENT)
        .setParameter(2, from)
        .executeUpdate();
  }

  /**
   * Reads {@code want} bytes at {@code offset} of a slot's data: the row holding the offset and the
   * rows after it that start before {@code offset + want}.
   *
   * @throws IllegalStateException if the rows do not cover the range (missing data)
   */
  static byte[] read(EntityManager em, short slot, long offset, int want) {
    List<Object[]> rows =
        StoredLog.rows(
            em.createNativeQuery(
                    "SELECT chunk_offset, data FROM raft_snapshot_chunk"
                        + " WHERE slot = ?1 AND chunk_offset < ?3 AND chunk_offset >= ("
                        + "SELECT MAX(chunk_offset) FROM raft_snapshot_chunk"
                        + " WHERE slot = ?1 AND chunk_offset <= ?2)"
                        + " ORDER BY chunk_offset")
                .setParameter(1, slot)
                .setParameter(2, offset)
                .setParameter(3, offset + want));
    byte[] out = new byte[want];
    long covered = offset;
    for (Object[] r : rows) {
      long start = StoredLog.num(r[0]);
      byte[] data = (byte[]) r[1];
      if (start > covered) {
        break;
      }
      long from = covered - start;
      int n = (int) Math.min(data.length - from, offset + want - covered);
      if (n > 0) {
        System.arraycopy(data, (int) from, out, (int) (covered - offset), n);
        covered += n;
      }
    }
    if (covered != offset + want) {
      throw new IllegalStateException(
          "raft_snapshot_chunk: slot " + slot + " has no data at offset " + covered);
    }
    return out;
  }
}
