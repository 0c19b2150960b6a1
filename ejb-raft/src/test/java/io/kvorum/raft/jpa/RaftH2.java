package io.kvorum.raft.jpa;

import io.kvorum.kv.jpa.JpaTransactions;
import io.kvorum.kv.jpa.ResourceLocalTransactions;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The product's persistence unit "kvorum" opened RESOURCE_LOCAL on an H2 file database: the
 * product's URL, or its mode flags plus other settings (WRITE_DELAY ...). Each open is its own
 * EclipseLink session; closing it closes the database, so reopening is a restart.
 */
final class RaftH2 implements AutoCloseable {
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

  /**
   * Opens (creating if needed) the database {@code dir/raft} with the mode flags and extra settings
   * (the benchmark and the kill -9 check compare write delays).
   */
  static RaftH2 open(Path dir, String extraSettings) {
    return new RaftH2(
        "jdbc:h2:file:"
            + dir.resolve("raft").toAbsolutePath()
            + EmbeddedH2.MODE_FLAGS
            + extraSettings);
  }

  /** Opens the member database in {@code dir} with the product's URL ({@link EmbeddedH2#url}). */
  static RaftH2 open(Path dir) {
    return new RaftH2(EmbeddedH2.url(dir));
  }

  /** Deletes a benchmark's temporary database directory and everything in it. */
  static void deleteDirectory(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  JpaTransactions transactions() {
    return new ResourceLocalTransactions(emf);
  }

  @Override
  public void close() {
    emf.close();
  }
}
