package io.kvorum.raft.jpa;

import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * The DDL of the Raft log tables (matching the entities in {@code io.kvorum.persistence.raft}); the
 * same statements run on H2 in PostgreSQL mode and on PostgreSQL. Idempotent.
 */
final class RaftLogSchema {
  /** Chunk slot of the current snapshot's data. */
  static final short CURRENT = 0;

  /** Chunk slot of a snapshot being received from the leader. */
  static final short RECEIVING = 1;

  /** Chunk slot of a snapshot being written by the local application. */
  static final short CREATING = 2;

  static final List<String> DDL =
      List.of(
          "CREATE TABLE IF NOT EXISTS raft_entry ("
              + " idx BIGINT NOT NULL PRIMARY KEY,"
              + " term BIGINT NOT NULL,"
              + " entry_type SMALLINT NOT NULL,"
              + " data BYTEA NOT NULL)",
          "CREATE TABLE IF NOT EXISTS raft_hard_state ("
              + " id INTEGER NOT NULL PRIMARY KEY,"
              + " term BIGINT NOT NULL,"
              + " vote BIGINT NOT NULL,"
              + " commit_index BIGINT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS raft_snapshot ("
              + " id INTEGER NOT NULL PRIMARY KEY,"
              + " snap_index BIGINT NOT NULL,"
              + " snap_term BIGINT NOT NULL,"
              + " voters VARCHAR(10000) NOT NULL,"
              + " learners VARCHAR(10000) NOT NULL,"
              + " size_bytes BIGINT NOT NULL,"
              + " checksum BIGINT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS raft_snapshot_chunk ("
              + " slot SMALLINT NOT NULL,"
              + " chunk_offset BIGINT NOT NULL,"
              + " data BYTEA NOT NULL,"
              + " PRIMARY KEY (slot, chunk_offset))");

  private RaftLogSchema() {}

  static void create(EntityManager em) {
    for (String ddl : DDL) {
      em.createNativeQuery(ddl).executeUpdate();
    }
  }
}
