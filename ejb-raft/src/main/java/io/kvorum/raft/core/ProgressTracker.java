package io.kvorum.raft.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The membership a node currently acts on, the leader's per-member {@link Progress}, and the votes
 * of the current election. Invariant: {@code progress.keySet()} equals the members of {@code
 * config} (kept by {@link #switchTo}).
 */
final class ProgressTracker {
  private final int maxInflight;

  /** The applied membership. */
  ConfState config = ConfState.EMPTY;

  /** Keyed by member id, sorted so iteration (and thus message order) is deterministic. */
  final TreeMap<Long, Progress> progress = new TreeMap<>();

  /** Votes received in the current (pre-)election: true granted, false rejected. */
  private final Map<Long, Boolean> votes = new HashMap<>();

  ProgressTracker(int maxInflight) {
    this.maxInflight = maxInflight;
  }

  /** Switches to a new membership, creating progress for new members (probing from next). */
  void switchTo(ConfState cs, long next) {
    config = cs;
    progress.keySet().removeIf(id -> !cs.isMember(id));
    for (long id : cs.voters()) {
      progress.computeIfAbsent(id, k -> new Progress(next, maxInflight));
    }
    for (long id : cs.learners()) {
      progress.computeIfAbsent(id, k -> new Progress(next, maxInflight));
    }
  }

  /** Resets every progress to probe from {@code next}, as a new term starts. */
  void resetAll(long next) {
    for (Map.Entry<Long, Progress> e : progress.entrySet()) {
      e.setValue(new Progress(next, maxInflight));
    }
  }

  boolean isVoter(long id) {
    return config.voters().contains(id);
  }

  boolean isLearner(long id) {
    return config.learners().contains(id);
  }

  Progress get(long id) {
    return progress.get(id);
  }

  /** Returns the highest index a majority of voters has. */
  long committed() {
    return Quorum.committedIndex(config.voters(), id -> progress.get(id).match);
  }

  /** Whether a majority of voters (counting {@code self}) was recently active. */
  boolean quorumActive(long self) {
    Set<Long> active = new HashSet<>();
    for (Map.Entry<Long, Progress> e : progress.entrySet()) {
      if (e.getKey() == self || e.getValue().recentActive) {
        active.add(e.getKey());
      }
    }
    return Quorum.hasQuorum(config.voters(), active);
  }

  void resetVotes() {
    votes.clear();
  }

  /** Records a vote (first one wins) and returns the election's outcome so far. */
  Quorum.VoteResult recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
    return Quorum.voteResult(config.voters(), votes);
  }
}
