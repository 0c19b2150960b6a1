package io.kvorum.server;

import io.kvorum.kv.jpa.JpaTransactions;
import java.util.List;

/**
 * The membership state in the member's database: one row of table {@code raft_membership}, holding
 * {@link MembershipState#encode()}, rewritten in its own transaction on each applied membership
 * change. The DDL runs on H2 in PostgreSQL mode and on PostgreSQL.
 */
public final class JpaMemberStore implements MemberStore {
  private static final String DDL =
      "CREATE TABLE IF NOT EXISTS raft_membership ("
          + " id INTEGER NOT NULL PRIMARY KEY,"
          + " state BYTEA NOT NULL)";

  private final JpaTransactions tx;

  /** Creates the table if it does not exist. */
  public JpaMemberStore(JpaTransactions tx) {
    this.tx = tx;
    tx.inTransaction(em -> em.createNativeQuery(DDL).executeUpdate());
  }

  @Override
  public MembershipState load() {
    List<?> rows =
        tx.inTransaction(
            em ->
                em.createNativeQuery("SELECT state FROM raft_membership WHERE id = 1")
                    .getResultList());
    return rows.isEmpty() ? null : MembershipState.decode((byte[]) rows.get(0));
  }

  @Override
  public void save(MembershipState state) {
    byte[] bytes = state.encode();
    tx.inTransaction(
        em -> {
          int n =
              em.createNativeQuery("UPDATE raft_membership SET state = ?1 WHERE id = 1")
                  .setParameter(1, bytes)
                  .executeUpdate();
          if (n == 0) {
            em.createNativeQuery("INSERT INTO raft_membership (id, state) VALUES (1, ?1)")
                .setParameter(1, bytes)
                .executeUpdate();
          }
          return null;
        });
  }
}
