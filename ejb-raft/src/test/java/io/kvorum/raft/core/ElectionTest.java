package io.kvorum.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Figure 2 election rules, randomized timeouts, pre-vote, check-quorum, leases. */
class ElectionTest {
  @Test
  void followerCampaignsAfterRandomizedTimeoutAndWins() {
    TestCluster c = TestCluster.of(3);
    c.tick(25);
    long lead = c.leader();
    assertTrue(lead != RawNode.NONE, "a leader after 2.5 election timeouts");
    for (long id = 1; id <= 3; id++) {
      assertEquals(lead, c.node(id).softState().leader());
      assertEquals(2, c.raft(id).term, "pre-vote succeeded first, so only one term was used");
    }
  }

  @Test
  void randomizedTimeoutStaysInRange() {
    TestCluster c = TestCluster.of(3);
    for (int i = 0; i < 200; i++) {
      c.raft(1).becomeFollower(i + 1, RawNode.NONE);
      int t = c.raft(1).randomizedElectionTimeout;
      assertTrue(t >= 10 && t < 20, "timeout " + t);
    }
  }

  @Test
  void nodeGrantsOneVotePerTerm() {
    TestCluster c = TestCluster.of(3);
    Raft r = c.raft(1);
    r.step(vote(MessageType.VOTE, 2, 2, 5, 1, 1));
    r.step(vote(MessageType.VOTE, 3, 2, 5, 1, 1));
    assertEquals(2, r.vote);
    assertFalse(r.msgs.get(0).reject());
    assertTrue(r.msgs.get(1).reject(), "second candidate of the same term is refused");
  }

  @Test
  void voteRefusedToCandidateWithStaleLog() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose("x".getBytes());
    c.deliverAll();
    Raft r = c.raft(2);
    r.electionElapsed = r.cfg.electionTick; // the leader's lease has expired
    // Candidate 3 claims a log ending at term 1, index 3: older than ours (term 2, index 5).
    r.step(vote(MessageType.VOTE, 3, 3, 3, 1, 2));
    Message resp = r.msgs.get(r.msgs.size() - 1);
    assertTrue(resp.reject());
    assertEquals(RawNode.NONE, r.vote);
  }

  @Test
  void lowerTermMessagesAreIgnoredAndHigherTermsAdopted() {
    TestCluster c = TestCluster.of(3);
    Raft r = c.raft(1);
    r.step(Message.builder(MessageType.APPEND).from(2).to(1).term(5).index(3).logTerm(1).build());
    assertEquals(5, r.term);
    assertEquals(2, r.lead);
    r.step(Message.builder(MessageType.APPEND).from(3).to(1).term(4).index(7).logTerm(3).build());
    assertEquals(5, r.term);
    assertEquals(2, r.lead, "a stale leader does not displace the current one");
    Message last = r.msgs.get(r.msgs.size() - 1);
    assertEquals(MessageType.APPEND_RESP, last.type());
    assertEquals(5, last.term(), "the stale leader learns the newer term");
  }

  @Test
  void preVoteDoesNotRaiseTerms() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.isolated.add(3L);
    c.tick(50);
    assertEquals(2, c.raft(3).term, "an isolated pre-candidate never raises its term");
    assertEquals(Role.PRE_CANDIDATE, c.raft(3).role);
    c.isolated.clear();
    c.tick(3);
    assertEquals(1, c.leader(), "rejoining is not disruptive");
    assertEquals(2, c.raft(1).term);
  }

  @Test
  void withoutPreVoteAnIsolatedNodeDisruptsOnRejoin() {
    TestCluster c = TestCluster.of(3);
    c.tweak = cfg -> cfg.preVote(false).checkQuorum(false);
    for (long id = 1; id <= 3; id++) {
      c.restart(id);
    }
    c.elect(1);
    c.isolated.add(3L);
    c.tick(50);
    assertTrue(c.raft(3).term > 4, "without pre-vote the term runs away");
    c.isolated.clear();
    c.tick(25);
    assertTrue(c.raft(1).term > 2, "the leader was deposed by the higher term");
  }

  @Test
  void checkQuorumStepsDownAnIsolatedLeader() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.isolated.add(1L);
    c.tick(10);
    assertEquals(Role.LEADER, c.raft(1).role, "still leader within the first timeout");
    c.tick(10);
    assertEquals(Role.FOLLOWER, c.raft(1).role);
  }

  @Test
  void leaseMakesFollowersIgnoreVotesWhileLeaderIsAlive() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    Raft r = c.raft(2);
    r.step(vote(MessageType.VOTE, 3, 5, 99, 1, 2));
    assertEquals(2, r.term, "vote request inside the lease is ignored entirely");
    r.step(
        Message.builder(MessageType.VOTE)
            .from(3)
            .to(2)
            .term(5)
            .index(99)
            .logTerm(1)
            .context(Message.CAMPAIGN_TRANSFER)
            .build());
    assertEquals(5, r.term, "a transfer campaign overrides the lease");
  }

  @Test
  void learnerNeverCampaignsAndItsVoteNeverCounts() {
    TestCluster c = TestCluster.of(1, 2);
    c.elect(1);
    assertTrue(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER, 2)));
    c.deliverAll();
    c.tick(3);
    assertTrue(c.node(2).confState().learners().contains(2L));
    c.isolated.add(1L);
    c.tick(60);
    assertEquals(Role.FOLLOWER, c.raft(2).role, "a learner never campaigns");
    // A candidate counts only its own voters: a learner's grant does not make 1 win.
    Raft cand = c.raft(1);
    cand.switchToConfig(new ConfState(java.util.Set.of(1L, 3L), java.util.Set.of(2L)));
    cand.becomeCandidate();
    cand.prs.recordVote(1, true);
    assertEquals(Quorum.VoteResult.PENDING, cand.prs.recordVote(2, true));
  }

  @Test
  void promotedLearnerThatHasNotAppliedItsPromotionStillVotes() {
    // Regression (simulation seed 102): the voters' new majority needed a node that still
    // believed it was a learner; it refused every vote and no leader could ever be elected.
    TestCluster c = TestCluster.of(3, 4);
    c.elect(1);
    c.tick(1);
    c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER, 4));
    c.deliverAll();
    c.tick(2);
    assertTrue(c.node(4).confState().learners().contains(4L));
    Raft learner = c.raft(4);
    learner.electionElapsed = learner.cfg.electionTick; // no lease
    learner.step(vote(MessageType.VOTE, 2, learner.term + 1, 1000, 1000, 4));
    Message resp = learner.msgs.get(learner.msgs.size() - 1);
    assertEquals(MessageType.VOTE_RESP, resp.type());
    assertFalse(resp.reject(), "it may already be a voter in the candidate's configuration");
  }

  @Test
  void nonVoterLeaseOnAVanishedLeaderExpires() {
    // Regression (simulation seed 10387): a node that is no voter in its own configuration reset
    // its election clock every timeout without campaigning, so it stayed "in lease" on a leader
    // that was gone and ignored every vote; the new configuration needed its vote.
    TestCluster c = TestCluster.of(3, 4);
    c.elect(1);
    c.tick(1);
    c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER, 4));
    c.deliverAll();
    c.tick(2);
    Raft learner = c.raft(4);
    assertEquals(1, learner.lead);
    int timeout = learner.randomizedElectionTimeout;
    for (int i = 0; i < timeout; i++) {
      learner.tick(); // the leader is silent from now on
    }
    learner.msgs.clear();
    learner.step(vote(MessageType.PRE_VOTE, 2, learner.term + 1, 1000, 1000, 4));
    assertEquals(1, learner.msgs.size(), "the lease expired: the pre-vote is answered");
    assertFalse(learner.msgs.get(0).reject());
  }

  private static Message vote(
      MessageType t, long from, long term, long index, long logTerm, long to) {
    return Message.builder(t).from(from).to(to).term(term).index(index).logTerm(logTerm).build();
  }
}
