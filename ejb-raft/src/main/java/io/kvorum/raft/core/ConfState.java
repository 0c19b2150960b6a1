package io.kvorum.raft.core;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cluster membership: who votes, who only learns. Invariant: {@code voters} and {@code learners}
 * are disjoint. Immutable.
 *
 * @param voters the members that vote and count towards quorums
 * @param learners the members that receive the log but never vote or campaign
 */
public record ConfState(Set<Long> voters, Set<Long> learners) {
  /** The membership of a node that has not joined any cluster yet. */
  public static final ConfState EMPTY = new ConfState(Set.of(), Set.of());

  /** Copies both sets into sorted, unmodifiable ones and checks they are disjoint. */
  public ConfState {
    voters = Collections.unmodifiableSet(new TreeSet<>(voters));
    learners = Collections.unmodifiableSet(new TreeSet<>(learners));
    for (Long l : learners) {
      if (voters.contains(l)) {
        throw new IllegalArgumentException("node " + l + " is both voter and learner");
      }
    }
  }

  /** Returns a membership of the given voters and no learners. */
  public static ConfState ofVoters(Long... voters) {
    return new ConfState(Set.of(voters), Set.of());
  }

  /** Returns whether {@code id} is a voter or a learner. */
  public boolean isMember(long id) {
    return voters.contains(id) || learners.contains(id);
  }
}
