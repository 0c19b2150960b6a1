package io.kvorum.raft.core;

import java.util.HashSet;
import java.util.Set;

/**
 * Applies single-server membership changes. One change at a time keeps any old and new majority
 * overlapping (Raft thesis 4.1); the leader enforces "one at a time" and "only once it committed an
 * entry of its term", this class the per-change rules.
 */
final class ConfChanger {
  private ConfChanger() {}

  /**
   * Returns why {@code cc} cannot apply to {@code cs}, or null if it can.
   *
   * <p>Removing the last voter is refused: a cluster without voters can never commit again.
   */
  static String invalidReason(ConfState cs, ConfChange cc) {
    long id = cc.nodeId();
    if (id == RawNode.NONE) {
      return "node id 0 is reserved";
    }
    return switch (cc.type()) {
      case ADD_VOTER, ADD_LEARNER -> cs.isMember(id) ? "node " + id + " is already a member" : null;
      case PROMOTE_LEARNER -> cs.learners().contains(id) ? null : "node " + id + " is no learner";
      case REMOVE_NODE -> {
        if (!cs.isMember(id)) {
          yield "node " + id + " is not a member";
        }
        yield cs.voters().size() == 1 && cs.voters().contains(id) ? "last voter" : null;
      }
    };
  }

  /**
   * Returns the membership after {@code cc}; an invalid change leaves it unchanged (every node
   * ignores it the same way, since all apply the same committed sequence).
   */
  static ConfState apply(ConfState cs, ConfChange cc) {
    if (invalidReason(cs, cc) != null) {
      return cs;
    }
    Set<Long> voters = new HashSet<>(cs.voters());
    Set<Long> learners = new HashSet<>(cs.learners());
    long id = cc.nodeId();
    switch (cc.type()) {
      case ADD_VOTER -> voters.add(id);
      case ADD_LEARNER -> learners.add(id);
      case PROMOTE_LEARNER -> {
        learners.remove(id);
        voters.add(id);
      }
      case REMOVE_NODE -> {
        voters.remove(id);
        learners.remove(id);
      }
    }
    return new ConfState(voters, learners);
  }
}
