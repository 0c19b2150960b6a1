package io.kvorum.raft.core;

/** The kinds of message nodes exchange. Ordinals are part of the wire format: append only. */
public enum MessageType {
  /** Candidate to voter: vote for me at {@code term}. */
  VOTE,
  /** Voter to candidate: granted unless {@code reject}. */
  VOTE_RESP,
  /** Pre-candidate to voter: would you vote for me at {@code term} (current term + 1)? */
  PRE_VOTE,
  /** Voter to pre-candidate. */
  PRE_VOTE_RESP,
  /** Leader to follower: entries after ({@code index}, {@code logTerm}), and the commit index. */
  APPEND,
  /** Follower to leader: accepted up to {@code index}, or rejected with hints. */
  APPEND_RESP,
  /** Leader to follower: I am alive; commit up to {@code commit}; echoes read {@code context}. */
  HEARTBEAT,
  /** Follower to leader: heartbeat received, echoes {@code context}. */
  HEARTBEAT_RESP,
  /** Leader to follower: one InstallSnapshot chunk. */
  SNAPSHOT,
  /** Follower to leader: I have the snapshot's bytes up to {@code snapshotOffset}. */
  SNAPSHOT_RESP,
  /** Follower to leader (term 0): please append these proposed entries. */
  PROPOSE,
  /** Follower to leader (term 0): a ReadIndex request carrying {@code context}. */
  READ_INDEX,
  /** Leader to follower: the read index ({@code index}) for {@code context}. */
  READ_INDEX_RESP,
  /** Follower to leader (term 0): transfer leadership to {@code from}. */
  TRANSFER_LEADER,
  /** Leader to transfer target: campaign now, skipping pre-vote and leases. */
  TIMEOUT_NOW
}
