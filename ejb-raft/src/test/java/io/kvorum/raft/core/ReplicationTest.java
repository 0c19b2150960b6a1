package io.kvorum.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Figure 2 AppendEntries and commit rules, batching, pipelining, fast backtracking. */
class ReplicationTest {
  @Test
  void proposalsCommitOnAMajorityAndApplyEverywhere() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    assertTrue(c.node(1).propose(List.of("a".getBytes(), "b".getBytes())));
    c.deliverAll();
    c.tick(1);
    for (long id = 1; id <= 3; id++) {
      assertEquals(List.of("a", "b"), c.appliedData(id));
    }
  }

  @Test
  void followerForwardsProposalsToTheLeader() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    assertTrue(c.node(3).propose("via-3".getBytes()));
    c.deliverAll();
    assertEquals(List.of("via-3"), c.appliedData(1));
  }

  @Test
  void proposalWithoutLeaderIsDropped() {
    TestCluster c = TestCluster.of(3);
    assertFalse(c.node(2).propose("x".getBytes()));
  }

  @Test
  void commitNeedsAMajority() {
    TestCluster c = TestCluster.of(5);
    c.elect(1);
    c.isolated.add(4L);
    c.isolated.add(5L);
    c.node(1).propose("x".getBytes());
    c.deliverAll();
    assertEquals(List.of("x"), c.appliedData(1), "3 of 5 is a majority");
    c.isolated.add(3L);
    c.node(1).propose("y".getBytes());
    c.deliverAll();
    assertEquals(List.of("x"), c.appliedData(1), "2 of 5 is not");
  }

  @Test
  void leaderCommitsOnlyEntriesOfItsTermByCounting() {
    // Figure 8: an entry of an older term on a majority is not committed by counting.
    MemoryLogStorage s = MemoryLogStorage.bootstrap(1L, 2L, 3L); // entries 1..3, committed
    s.append(List.of(Entry.normal(4, 2, "old".getBytes())));
    s.setHardState(new HardState(3, RawNode.NONE, 3));
    Raft r = raft(1, s, 1L, 2L, 3L);
    r.becomeCandidate();
    r.becomeLeader(); // term 4, appends its empty entry at index 5 (unacknowledged)
    r.prs.get(2).maybeUpdate(4);
    assertFalse(Replication.maybeCommit(r), "index 4 (term 2) is on a majority but not ours");
    assertEquals(3, r.log.committed);
    r.prs.get(2).maybeUpdate(5);
    assertTrue(Replication.maybeCommit(r));
    assertEquals(5, r.log.committed, "committing index 5 commits index 4 indirectly");
  }

  @Test
  void followerRejectsMismatchAndTruncatesConflicts() {
    MemoryLogStorage s = MemoryLogStorage.bootstrap(1L, 2L); // entries 1..2, committed
    s.append(List.of(Entry.normal(3, 1, null), Entry.normal(4, 2, "stale".getBytes())));
    Raft r = raft(2, s, 1L, 2L);
    // Mismatch at (4, term 3): rejected with a hint.
    r.step(Message.builder(MessageType.APPEND).from(1).to(2).term(3).index(4).logTerm(3).build());
    Message rej = r.msgs.remove(0);
    assertTrue(rej.reject());
    assertEquals(4, rej.index());
    assertEquals(4, rej.rejectHint(), "our entry at 4 has term 2 <= 3, so 4 may still match");
    assertEquals(2, rej.logTerm());
    // The leader sends from (3, 1): entry 4 of term 2 is replaced by the leader's of term 3.
    r.step(
        Message.builder(MessageType.APPEND)
            .from(1)
            .to(2)
            .term(3)
            .index(3)
            .logTerm(1)
            .commit(9)
            .entries(List.of(Entry.normal(4, 3, "new".getBytes())))
            .build());
    Message ok = r.msgs.remove(0);
    assertFalse(ok.reject());
    assertEquals(4, ok.index());
    assertEquals(3, r.log.term(4));
    assertEquals(4, r.log.committed, "commit = min(leaderCommit, index of last new entry)");
  }

  @Test
  void fastBacktrackingSkipsWholeTermsInOneRoundTrip() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    // Node 3 misses 100 entries of term 1.
    c.isolated.add(3L);
    for (int i = 0; i < 100; i++) {
      c.node(1).propose(("e" + i).getBytes());
    }
    c.deliverAll();
    c.isolated.clear();
    c.log.clear();
    c.tick(2);
    long rejects =
        c.log.stream().filter(m -> m.type() == MessageType.APPEND_RESP && m.reject()).count();
    assertTrue(rejects <= 1, "at most one rejection, got " + rejects);
    assertEquals(c.node(1).lastIndex(), c.node(3).lastIndex());
  }

  @Test
  void appendsAreBatchedByBytesAndPipelinedUpToTheWindow() {
    TestCluster c = TestCluster.of(2);
    c.tweak = cfg -> cfg.maxSizePerMsg(3 * (Entry.OVERHEAD + 10)).maxInflightMsgs(4);
    c.restart(1);
    c.restart(2);
    c.elect(1);
    c.log.clear();
    c.drop = m -> m.type() == MessageType.APPEND_RESP; // acknowledgements lost: window fills
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      batch.add(new byte[10]);
    }
    c.node(1).propose(batch);
    c.deliverAll();
    List<Message> appends =
        c.log.stream()
            .filter(m -> m.type() == MessageType.APPEND && !m.entries().isEmpty())
            .toList();
    assertEquals(4, appends.size(), "stops at the inflight window");
    for (Message m : appends) {
      assertEquals(3, m.entries().size(), "3 entries fit the byte limit");
    }
  }

  @Test
  void fullWindowWithLostAcknowledgementsIsReopenedByHeartbeats() {
    // Regression (simulation seed 0): a follower that restarted lost the appends in flight and the
    // leader's window stayed full, so it never sent it anything again.
    TestCluster c = TestCluster.of(3);
    c.tweak = cfg -> cfg.maxInflightMsgs(2);
    for (long id = 1; id <= 3; id++) {
      c.restart(id);
    }
    c.elect(1);
    c.drop = m -> m.to() == 3 && m.type() == MessageType.APPEND;
    for (int i = 0; i < 5; i++) {
      c.node(1).propose(("e" + i).getBytes());
      c.deliverAll();
    }
    assertTrue(c.raft(1).prs.get(3).inflights.full());
    c.drop = m -> false;
    c.tick(3);
    assertEquals(c.node(1).lastIndex(), c.node(3).lastIndex(), "follower 3 caught up");
  }

  @Test
  void leaderDropsProposalsBeyondTheUncommittedLimit() {
    // Regression (simulation seed 3901): without flow control a leader that could not commit
    // piled up hundreds of entries, and catching up after healing took unboundedly long.
    TestCluster c = TestCluster.of(3);
    c.tweak = cfg -> cfg.maxUncommittedEntries(3);
    for (long id = 1; id <= 3; id++) {
      c.restart(id);
    }
    c.elect(1);
    c.isolated.add(2L);
    c.isolated.add(3L);
    assertTrue(c.node(1).propose(List.of("a".getBytes(), "b".getBytes())));
    assertTrue(c.node(1).propose("c".getBytes()));
    assertFalse(c.node(1).propose("d".getBytes()), "3 entries uncommitted: full");
    c.isolated.clear();
    c.tick(1);
    assertTrue(c.node(1).propose("d".getBytes()), "room again once committed");
  }

  @Test
  void heartbeatCarriesCommitButNeverBeyondMatch() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose("x".getBytes());
    c.deliverAll();
    c.log.clear();
    c.tick(1);
    Message hb = c.log.stream().filter(m -> m.type() == MessageType.HEARTBEAT).findFirst().get();
    assertEquals(5, hb.commit(), "bootstrap 1..3, leader's entry 4, x at 5");
    assertNull(hb.context());
  }

  /** A Raft over storage whose membership is already applied (as after its first Ready). */
  static Raft raft(long id, MemoryLogStorage s, Long... voters) {
    Raft r = new Raft(RaftConfig.of(id, new java.util.Random(1)), s);
    r.switchToConfig(ConfState.ofVoters(voters));
    r.log.applied = r.log.committed;
    return r;
  }

  @Test
  void restartRecoversPersistedStateAndReappliesCommittedEntries() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose("x".getBytes());
    c.deliverAll();
    c.tick(1);
    HardState before = c.node(2).hardState();
    c.restart(2);
    assertEquals(before, c.node(2).hardState());
    c.processReady();
    assertEquals(List.of("x"), c.appliedData(2), "committed entries are handed out again");
  }
}
