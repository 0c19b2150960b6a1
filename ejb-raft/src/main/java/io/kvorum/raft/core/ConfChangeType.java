package io.kvorum.raft.core;

/** The four single-server membership changes. */
public enum ConfChangeType {
  /** Adds a node that is not yet a member as a voter. */
  ADD_VOTER,
  /** Removes a voter or a learner. */
  REMOVE_NODE,
  /** Adds a node that is not yet a member as a learner. */
  ADD_LEARNER,
  /** Turns a learner into a voter. */
  PROMOTE_LEARNER
}
