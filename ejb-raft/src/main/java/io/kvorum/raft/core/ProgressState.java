package io.kvorum.raft.core;

/** How the leader currently replicates to one follower. */
enum ProgressState {
  /** Match unknown: send one append at a time and wait for the answer (or a heartbeat reply). */
  PROBE,
  /** Match known: stream appends optimistically, up to the inflight window. */
  REPLICATE,
  /** The follower needs a snapshot; chunks are being sent one at a time. */
  SNAPSHOT
}
