package io.kvorum.raft.jpa;

/**
 * How {@link JpaLogStorage} makes a committed write durable before it returns.
 *
 * <p>Raft's promises (a vote, an acknowledged append) are only kept if what they promise survives a
 * crash, so the default is {@link #CHECKPOINT_SYNC}. See docs/raft-log-storage.md for what each
 * mode survived (kill -9, power loss) and costs on the reference machine.
 */
public enum SyncMode {
  /**
   * Embedded H2: after each commit, run {@code CHECKPOINT SYNC}, which writes H2's pending store
   * chunk and forces the database file to the device ({@code FileChannel.force}). Survives kill -9
   * and power loss (as far as the device honours the flush). H2 only: on PostgreSQL {@code
   * CHECKPOINT} is a superuser-only full checkpoint.
   */
  CHECKPOINT_SYNC,

  /**
   * Trust the database's commit. Right for PostgreSQL (its commit is durable unless {@code
   * synchronous_commit} or {@code fsync} were turned off). On H2 this is etcd's {@code
   * --unsafe-no-fsync}: with {@code WRITE_DELAY=0} in the URL a commit reaches the operating
   * system, so it survives kill -9 but not power loss or a kernel crash; with H2's default write
   * delay even kill -9 loses the last fraction of a second.
   */
  COMMIT_ONLY
}
