package io.kvorum.kv.jpa;

import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * The DDL of the KV tables (matching the entities in {@code io.kvorum.persistence.kv}); the same
 * statements run on H2 in PostgreSQL mode and on PostgreSQL. Idempotent.
 */
final class KvSchema {
  static final List<String> DDL =
      List.of(
          "CREATE TABLE IF NOT EXISTS kv_revision ("
              + " main_rev BIGINT NOT NULL,"
              + " sub_rev INTEGER NOT NULL,"
              + " kv_key BYTEA NOT NULL,"
              + " kv_value BYTEA NOT NULL,"
              + " create_revision BIGINT NOT NULL,"
              + " version BIGINT NOT NULL,"
              + " lease_id BIGINT NOT NULL,"
              + " tombstone BOOLEAN NOT NULL,"
              + " PRIMARY KEY (main_rev, sub_rev))",
          "CREATE INDEX IF NOT EXISTS kv_revision_key_idx ON kv_revision (kv_key, main_rev)",
          "CREATE TABLE IF NOT EXISTS kv_lease ("
              + " id BIGINT NOT NULL PRIMARY KEY,"
              + " ttl BIGINT NOT NULL,"
              + " remaining_ttl BIGINT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS kv_meta ("
              + " id INTEGER NOT NULL PRIMARY KEY,"
              + " applied_index BIGINT NOT NULL,"
              + " current_revision BIGINT NOT NULL,"
              + " compact_revision BIGINT NOT NULL,"
              + " alarms VARCHAR(4000) NOT NULL)");

  private KvSchema() {}

  static void create(EntityManager em) {
    for (String ddl : DDL) {
      em.createNativeQuery(ddl).executeUpdate();
    }
  }
}
