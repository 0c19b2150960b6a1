package io.kvorum.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rules of Figure 2 of the Raft paper not already pinned elsewhere (see {@link ElectionTest},
 * {@link ReplicationTest}), one test per rule, on a single node stepped by hand.
 */
class Figure2Test {
  /** A follower of a 3-voter cluster (bootstrap entries 1..3 applied), pre-vote off. */
  private static Raft follower(long id) {
    MemoryLogStorage s = MemoryLogStorage.bootstrap(1L, 2L, 3L);
    Raft r = new Raft(RaftConfig.of(id, new Random(id)).preVote(false), s);
    r.switchToConfig(ConfState.ofVoters(1L, 2L, 3L));
    r.log.applied = r.log.committed;
    return r;
  }

  private static Message last(Raft r) {
    return r.msgs.get(r.msgs.size() - 1);
  }

  @Test
  void persistentStateIsInTheSameReadyAsTheVoteItPromises() {
    TestCluster c = TestCluster.of(3);
    RawNode n = c.node(2);
    n.step(Message.builder(MessageType.VOTE).from(1).to(2).term(5).index(3).logTerm(1).build());
    Ready rd = n.ready();
    assertNotNull(rd.hardState());
    assertEquals(5, rd.hardState().term());
    assertEquals(1, rd.hardState().vote());
    assertEquals(MessageType.VOTE_RESP, rd.messages().get(0).type());
    n.advance();
  }

  @Test
  void candidateStartsElectionByRaisingTermAndVotingForItself() {
    Raft r = follower(1);
    r.hup(false);
    assertEquals(Role.CANDIDATE, r.role);
    assertEquals(2, r.term);
    assertEquals(1, r.vote);
    assertEquals(2, r.msgs.size(), "a RequestVote to each other voter");
    for (Message m : r.msgs) {
      assertEquals(MessageType.VOTE, m.type());
      assertEquals(3, m.index(), "last log index");
      assertEquals(1, m.logTerm(), "last log term");
    }
  }

  @Test
  void candidateWithVotesFromAMajorityBecomesLeader() {
    Raft r = follower(1);
    r.hup(false);
    r.step(Message.builder(MessageType.VOTE_RESP).from(2).to(1).term(2).build());
    assertEquals(Role.LEADER, r.role);
  }

  @Test
  void candidateRejectedByAMajorityReturnsToFollower() {
    Raft r = follower(1);
    r.hup(false);
    r.step(Message.builder(MessageType.VOTE_RESP).from(2).to(1).term(2).reject(true).build());
    assertEquals(Role.CANDIDATE, r.role);
    r.step(Message.builder(MessageType.VOTE_RESP).from(3).to(1).term(2).reject(true).build());
    assertEquals(Role.FOLLOWER, r.role);
  }

  @Test
  void candidateReceivingAppendFromTheNewLeaderBecomesFollower() {
    Raft r = follower(1);
    r.hup(false);
    r.step(Message.builder(MessageType.APPEND).from(3).to(1).term(2).index(3).logTerm(1).build());
    assertEquals(Role.FOLLOWER, r.role);
    assertEquals(3, r.lead);
    assertEquals(2, r.term);
  }

  @Test
  void candidateWhoseElectionTimesOutStartsANewElection() {
    Raft r = follower(1);
    r.hup(false);
    for (int i = 0; i < 20; i++) {
      r.tick();
    }
    assertEquals(Role.CANDIDATE, r.role);
    assertEquals(3, r.term);
  }

  @Test
  void voteRefusedForATermBelowOurs() {
    Raft r = follower(2);
    r.becomeFollower(4, RawNode.NONE);
    r.step(Message.builder(MessageType.VOTE).from(1).to(2).term(3).index(9).logTerm(3).build());
    assertTrue(r.msgs.isEmpty() || last(r).reject());
    assertEquals(RawNode.NONE, r.vote);
  }

  @Test
  void voteGrantedAgainToTheSameCandidate() {
    Raft r = follower(2);
    Message v = Message.builder(MessageType.VOTE).from(1).to(2).term(2).index(3).logTerm(1).build();
    r.step(v);
    r.step(v);
    assertFalse(r.msgs.get(0).reject());
    assertFalse(r.msgs.get(1).reject(), "a retransmitted request gets the same answer");
  }

  @Test
  void appendRefusedForATermBelowOurs() {
    Raft r = follower(2);
    r.becomeFollower(4, RawNode.NONE);
    r.step(
        Message.builder(MessageType.APPEND)
            .from(1)
            .to(2)
            .term(3)
            .index(3)
            .logTerm(1)
            .entries(List.of(Entry.normal(4, 3, null)))
            .build());
    assertEquals(3, r.log.lastIndex(), "nothing appended");
    assertEquals(4, last(r).term(), "the answer tells the stale leader our term");
  }

  @Test
  void appendRefusedWhenPrevEntryIsMissing() {
    Raft r = follower(2);
    r.step(Message.builder(MessageType.APPEND).from(1).to(2).term(2).index(7).logTerm(2).build());
    assertTrue(last(r).reject());
    assertEquals(3, last(r).rejectHint(), "hint: our last index");
  }

  @Test
  void appendAddsNewEntriesAndCommitsUpToLeaderCommit() {
    Raft r = follower(2);
    r.step(
        Message.builder(MessageType.APPEND)
            .from(1)
            .to(2)
            .term(2)
            .index(3)
            .logTerm(1)
            .commit(4)
            .entries(List.of(Entry.normal(4, 2, null), Entry.normal(5, 2, null)))
            .build());
    assertEquals(5, r.log.lastIndex());
    assertEquals(4, r.log.committed);
    assertEquals(5, last(r).index());
  }

  @Test
  void alreadyPresentEntriesAreNotTruncatedByAStaleAppend() {
    Raft r = follower(2);
    Message.Builder b =
        Message.builder(MessageType.APPEND).from(1).to(2).term(2).index(3).logTerm(1);
    r.step(b.entries(List.of(Entry.normal(4, 2, null), Entry.normal(5, 2, null))).build());
    r.step(b.entries(List.of(Entry.normal(4, 2, null))).build()); // delayed duplicate
    assertEquals(5, r.log.lastIndex(), "a matching prefix never truncates");
  }

  @Test
  void leaderDecrementsNextIndexOnRejectionAndRetries() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    Raft leader = c.raft(1);
    Progress pr = leader.prs.get(2);
    pr.match = 0; // as just after election: nothing known about the follower
    pr.becomeProbe();
    pr.next = 5;
    leader.step(
        Message.builder(MessageType.APPEND_RESP)
            .from(2)
            .to(1)
            .term(leader.term)
            .index(4)
            .reject(true)
            .rejectHint(3)
            .logTerm(1)
            .build());
    assertEquals(4, pr.next);
    Message retry = last(leader);
    assertEquals(MessageType.APPEND, retry.type());
    assertEquals(3, retry.index());
  }
}
