package io.kvorum.raft.core;

import java.util.Random;

/**
 * Construction-time settings of a {@link RawNode}, validated up front ({@link #validate()} names
 * the offending setting). Times are in ticks; sizes in bytes.
 */
public final class RaftConfig {
  long id;
  int electionTick = 10;
  int heartbeatTick = 1;
  long maxSizePerMsg = 1 << 20;
  int maxInflightMsgs = 256;
  long maxCommittedSizePerReady = 16L << 20;
  int snapshotChunkBytes = 1 << 20;
  long maxUncommittedEntries = 100_000;
  boolean preVote = true;
  boolean checkQuorum = true;
  Random random;

  private RaftConfig(long id, Random random) {
    this.id = id;
    this.random = random;
  }

  /**
   * Starts a configuration for node {@code id}.
   *
   * @param random source of the randomized election timeouts; pass a seeded one for determinism
   */
  public static RaftConfig of(long id, Random random) {
    return new RaftConfig(id, random);
  }

  /** Base election timeout in ticks; each election waits a random [n, 2n). Default 10. */
  public RaftConfig electionTick(int n) {
    electionTick = n;
    return this;
  }

  /** Ticks between leader heartbeats. Default 1. */
  public RaftConfig heartbeatTick(int n) {
    heartbeatTick = n;
    return this;
  }

  /** Max bytes of entries per append message (at least one entry is always sent). Default 1MiB. */
  public RaftConfig maxSizePerMsg(long n) {
    maxSizePerMsg = n;
    return this;
  }

  /** Max unacknowledged append messages per follower while pipelining. Default 256. */
  public RaftConfig maxInflightMsgs(int n) {
    maxInflightMsgs = n;
    return this;
  }

  /** Max bytes of committed entries handed out per {@link Ready}. Default 16MiB. */
  public RaftConfig maxCommittedSizePerReady(long n) {
    maxCommittedSizePerReady = n;
    return this;
  }

  /** Max bytes of snapshot data per InstallSnapshot chunk. Default 1MiB. */
  public RaftConfig snapshotChunkBytes(int n) {
    snapshotChunkBytes = n;
    return this;
  }

  /**
   * Max entries a leader holds beyond its commit index; further proposals are dropped until
   * replication catches up (flow control: keeps a partitioned leader from piling up a backlog).
   * Default 100,000.
   */
  public RaftConfig maxUncommittedEntries(long n) {
    maxUncommittedEntries = n;
    return this;
  }

  /** Whether to run a pre-vote before raising the term. Default true. */
  public RaftConfig preVote(boolean on) {
    preVote = on;
    return this;
  }

  /** Whether a leader steps down without a quorum of recent contact. Default true. */
  public RaftConfig checkQuorum(boolean on) {
    checkQuorum = on;
    return this;
  }

  /** Returns this node's id. */
  public long id() {
    return id;
  }

  /**
   * Checks every setting.
   *
   * @throws IllegalArgumentException naming the first invalid setting
   */
  public RaftConfig validate() {
    require(id != RawNode.NONE, "id", "must not be 0");
    require(random != null, "random", "is required");
    require(heartbeatTick > 0, "heartbeatTick", "must be > 0");
    require(electionTick > heartbeatTick, "electionTick", "must be > heartbeatTick");
    require(maxSizePerMsg > 0, "maxSizePerMsg", "must be > 0");
    require(maxInflightMsgs > 0, "maxInflightMsgs", "must be > 0");
    require(maxCommittedSizePerReady > 0, "maxCommittedSizePerReady", "must be > 0");
    require(snapshotChunkBytes > 0, "snapshotChunkBytes", "must be > 0");
    require(maxUncommittedEntries > 0, "maxUncommittedEntries", "must be > 0");
    return this;
  }

  private static void require(boolean ok, String key, String what) {
    if (!ok) {
      throw new IllegalArgumentException("raft config: " + key + " " + what);
    }
  }
}
