package io.kvorum.raft.core;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/** Majority arithmetic over a set of voters. */
final class Quorum {
  /** Outcome of an election as far as the votes received tell. */
  enum VoteResult {
    WON,
    LOST,
    PENDING
  }

  private Quorum() {}

  /** Returns the number of voters that makes a majority. */
  static int majority(int voters) {
    return voters / 2 + 1;
  }

  /**
   * Returns the highest index replicated on a majority: the majority-th largest match index.
   * Returns {@link Long#MAX_VALUE} for an empty voter set (nothing to wait for).
   */
  static long committedIndex(Set<Long> voters, LongUnaryOperator matchOf) {
    if (voters.isEmpty()) {
      return Long.MAX_VALUE;
    }
    long[] matches = new long[voters.size()];
    int i = 0;
    for (long v : voters) {
      matches[i++] = matchOf.applyAsLong(v);
    }
    Arrays.sort(matches);
    // Sorted ascending: the element at n - majority is held by a majority (itself and above).
    return matches[matches.length - majority(matches.length)];
  }

  /** Tallies votes (true: granted) cast by members of {@code voters}; others are ignored. */
  static VoteResult voteResult(Set<Long> voters, Map<Long, Boolean> votes) {
    if (voters.isEmpty()) {
      return VoteResult.WON;
    }
    int granted = 0;
    int rejected = 0;
    for (long v : voters) {
      Boolean vote = votes.get(v);
      if (vote == null) {
        continue;
      }
      if (vote) {
        granted++;
      } else {
        rejected++;
      }
    }
    int q = majority(voters.size());
    if (granted >= q) {
      return VoteResult.WON;
    }
    return voters.size() - rejected >= q ? VoteResult.PENDING : VoteResult.LOST;
  }

  /** Returns whether the nodes in {@code acks} include a majority of {@code voters}. */
  static boolean hasQuorum(Set<Long> voters, Set<Long> acks) {
    int n = 0;
    for (long v : voters) {
      if (acks.contains(v)) {
        n++;
      }
    }
    return n >= majority(voters.size());
  }
}
