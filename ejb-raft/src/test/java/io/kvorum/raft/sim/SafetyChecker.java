package io.kvorum.raft.sim;

import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.LogStorage;
import io.kvorum.raft.core.MemoryLogStorage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raft's safety properties (Figure 3 of the paper), checked incrementally as the simulation runs.
 * Each check throws {@link AssertionError} describing the violation.
 */
final class SafetyChecker {
  private record IndexTerm(long index, long term) {}

  /** Election safety: at most one leader per term. */
  private final Map<Long, Long> leaderOfTerm = new HashMap<>();

  /** Log matching: (index, term) identifies the entry and the term before it. */
  private final Map<IndexTerm, long[]> entryAt = new HashMap<>();

  /** Entries known committed (applied somewhere), by index. */
  private final Map<Long, Entry> committed = new HashMap<>();

  /** The state machine hash chain after applying each index. */
  private final Map<Long, Long> chainAt = new HashMap<>();

  /** The highest index applied anywhere: every write acknowledged so far is at or below it. */
  long maxApplied;

  long leaderElections;
  long confChanges;

  void onLeader(long id, long term) {
    Long prev = leaderOfTerm.putIfAbsent(term, id);
    if (prev != null && prev != id) {
      throw new AssertionError(
          "election safety: " + prev + " and " + id + " both lead term " + term);
    }
    if (prev == null) {
      leaderElections++;
    }
  }

  /**
   * "A committed entry is never lost": before a node persists entries, none of them may replace an
   * entry it holds at or below its own commit index, or one known committed. (A lagging node may
   * hold a different, uncommitted entry at a committed index; that one may be replaced.)
   */
  void beforePersist(long id, List<Entry> ents, MemoryLogStorage s) {
    for (Entry e : ents) {
      long old = s.term(e.index());
      if (old == LogStorage.UNAVAILABLE || old == e.term()) {
        continue;
      }
      Entry c = committed.get(e.index());
      if (e.index() <= s.hardState().commit() || (c != null && c.term() == old)) {
        throw new AssertionError(
            "node " + id + " replaced committed entry " + e.index() + "/" + old + " by " + e);
      }
    }
  }

  /** Log matching: an (index, term) pair names one entry, preceded by one term. */
  void onPersist(long id, List<Entry> ents, MemoryLogStorage s) {
    for (Entry e : ents) {
      long prevTerm = s.term(e.index() - 1);
      long[] seen =
          entryAt.putIfAbsent(
              new IndexTerm(e.index(), e.term()), new long[] {StateMachine.entryHash(e), prevTerm});
      if (seen != null) {
        if (seen[0] != StateMachine.entryHash(e)) {
          throw new AssertionError("log matching: two different entries at " + e);
        }
        if (seen[1] != prevTerm
            && seen[1] != LogStorage.UNAVAILABLE
            && prevTerm != LogStorage.UNAVAILABLE) {
          throw new AssertionError(
              "log matching: node "
                  + id
                  + " has "
                  + e
                  + " after term "
                  + prevTerm
                  + ", another after "
                  + seen[1]);
        }
      }
    }
  }

  /** State machine safety: no two nodes apply different entries at one index. */
  void onApply(long id, Entry e, long chainAfter) {
    Entry c = committed.putIfAbsent(e.index(), e);
    if (c == null && e.type() == io.kvorum.raft.core.EntryType.CONF_CHANGE) {
      confChanges++;
    }
    if (c != null && !c.equals(e)) {
      throw new AssertionError(
          "state machine safety: node " + id + " applied " + e + ", another " + c);
    }
    checkChain(id, e.index(), chainAfter);
    maxApplied = Math.max(maxApplied, e.index());
  }

  void checkChain(long id, long index, long chain) {
    Long known = chainAt.putIfAbsent(index, chain);
    if (known != null && known != chain) {
      throw new AssertionError(
          "state machine safety: node " + id + " diverged at or before " + index);
    }
  }

  /** Leader completeness: a new leader's log holds every entry committed so far. */
  void checkLeaderCompleteness(long id, long term, MemoryLogStorage s) {
    for (long i = s.firstIndex(); i <= maxApplied; i++) {
      Entry c = committed.get(i);
      if (c != null && s.term(i) != c.term()) {
        throw new AssertionError(
            "leader completeness: leader "
                + id
                + " of term "
                + term
                + " lacks committed "
                + c
                + " (has term "
                + s.term(i)
                + ")");
      }
    }
    if (s.snapshot().index() > 0) {
      StateMachine sm = new StateMachine();
      sm.restore(s.snapshotData());
      checkChain(id, s.snapshot().index(), sm.hash);
    }
  }

  /** Linearizable reads: the read index covers every write acknowledged before the read began. */
  void onReadIndex(long id, long readIndex, long appliedWhenReadBegan) {
    if (readIndex < appliedWhenReadBegan) {
      throw new AssertionError(
          "stale read on node "
              + id
              + ": read index "
              + readIndex
              + " < "
              + appliedWhenReadBegan
              + " applied before the read began");
    }
  }
}
