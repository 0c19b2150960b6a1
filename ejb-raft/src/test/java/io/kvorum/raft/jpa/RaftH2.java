package io.kvorum.raft.jpa;

import io.kvorum.kv.jpa.JpaTransactions;
import io.kvorum.kv.jpa.ResourceLocalTransactions;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The product's persistence unit "kvorum" opened RESOURCE_LOCAL on an H2 file database with the
 * product's URL flags plus extra settings (WRITE_DELAY ...). Each open is its own EclipseLink
 * session; closing it closes the database, so reopening is a restart.
 */
final class RaftH2 implements AutoCloseable {
  /** The flags every Kvorum H2 URL carries (reference/payara-stack.md, "JPA on H2"). */
  static final String FLAGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  private static final AtomicInteger SESSIONS = new AtomicInteger();

  final EntityManagerFactory emf;
  final String url;

  private RaftH2(String url) {
    this.url = url;
    emf =
        Persistence.createEntityManagerFactory(
            "kvorum",
            Map.of(
                "jakarta.persistence.transactionType", "RESOURCE_LOCAL",
                "jakarta.persistence.jtaDataSource", "",
                "jakarta.persistence.jdbc.driver", "org.h2.Driver",
                "jakarta.persistence.jdbc.url", url,
                "eclipselink.session-name", "raft-h2-" + SESSIONS.incrementAndGet(),
                "eclipselink.logging.level", "WARNING"));
  }

  /** Opens (creating if needed) the database {@code dir/raft} with extra URL settings. */
  static RaftH2 open(Path dir, String extraSettings) {
    return new RaftH2(
        "jdbc:h2:file:" + dir.resolve("raft").toAbsolutePath() + FLAGS + extraSettings);
  }

  /** The product's recommended settings: WRITE_DELAY 0 (see docs/raft-log-storage.md). */
  static RaftH2 open(Path dir) {
    return open(dir, ";WRITE_DELAY=0");
  }

  JpaTransactions transactions() {
    return new ResourceLocalTransactions(emf);
  }

  @Override
  public void close() {
    emf.close();
  }
}
