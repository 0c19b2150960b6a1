package io.kvorum.raft.core;

/** The role a node plays in the current term. */
public enum Role {
  /** Accepts entries from a leader; campaigns after an election timeout if it may vote. */
  FOLLOWER,
  /** Asks for pre-votes at term+1 without raising its own term (Raft thesis 9.6). */
  PRE_CANDIDATE,
  /** Raised its term and asks for votes. */
  CANDIDATE,
  /** Replicates its log to everyone else. */
  LEADER
}
