package io.kvorum.raft.jpa;

import java.nio.file.Path;

/**
 * The recommended settings of a member's embedded H2 database (docs/raft-log-storage.md,
 * "Recommendation"): the PostgreSQL-mode flags every Kvorum URL carries, plus {@code WRITE_DELAY=0}
 * so each commit is written by the committing thread before it returns (H2's default 500 ms write
 * delay lost acknowledged entries on kill -9), and {@link SyncMode#CHECKPOINT_SYNC} unless the
 * member runs with {@code unsafe-no-fsync}.
 */
public final class EmbeddedH2 {
  /** The flags of every Kvorum H2 URL; a database created with them must be opened with them. */
  public static final String MODE_FLAGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  /** {@link #MODE_FLAGS} plus the durability setting. */
  public static final String FLAGS = MODE_FLAGS + ";WRITE_DELAY=0";

  private EmbeddedH2() {}

  /** Returns the JDBC URL of the member's database {@code kvorum} in {@code dataDir}. */
  public static String url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve("kvorum").toAbsolutePath() + FLAGS;
  }

  /**
   * Returns the sync mode for an embedded H2 member: {@link SyncMode#CHECKPOINT_SYNC}, or {@link
   * SyncMode#COMMIT_ONLY} when the member's configuration sets {@code unsafe-no-fsync} (etcd's
   * {@code --unsafe-no-fsync}: survives a killed process, not a power loss).
   */
  public static SyncMode syncMode(boolean unsafeNoFsync) {
    return unsafeNoFsync ? SyncMode.COMMIT_ONLY : SyncMode.CHECKPOINT_SYNC;
  }
}
