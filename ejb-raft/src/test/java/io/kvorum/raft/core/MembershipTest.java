package io.kvorum.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Single-server membership changes. */
class MembershipTest {
  @Test
  void addLearnerThenPromoteIt() {
    TestCluster c = TestCluster.of(3, 4);
    c.elect(1);
    assertTrue(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER, 4)));
    c.deliverAll();
    c.tick(2);
    assertEquals(Set.of(4L), c.node(1).confState().learners());
    assertEquals(Set.of(4L), c.node(4).confState().learners(), "the learner caught up");
    assertTrue(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.PROMOTE_LEARNER, 4)));
    c.deliverAll();
    c.tick(2);
    assertEquals(Set.of(1L, 2L, 3L, 4L), c.node(4).confState().voters());
  }

  @Test
  void aChangeCarriesItsContextToEveryNodeAndTheLeaderReportsMatchIndexes() {
    TestCluster c = TestCluster.of(3, 4);
    c.elect(1);
    byte[] context = {7, 8, 9};
    assertTrue(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_LEARNER, 4), context));
    c.deliverAll();
    c.tick(2);
    assertEquals(Set.of(4L), c.node(4).confState().learners());
    long last = c.node(1).lastIndex();
    assertEquals(last, c.node(1).matchIndexes().get(4L), "the learner caught up");
    assertEquals(last, c.node(1).matchIndexes().get(1L));
    assertTrue(c.node(2).matchIndexes().isEmpty(), "only the leader knows progress");
    byte[] data = new ConfChange(ConfChangeType.ADD_LEARNER, 4).encode(context);
    assertEquals(new ConfChange(ConfChangeType.ADD_LEARNER, 4), ConfChange.decode(data));
    assertEquals(List.of((byte) 7, (byte) 8, (byte) 9), bytes(ConfChange.context(data)));
    assertEquals(
        0, ConfChange.context(new ConfChange(ConfChangeType.REMOVE_NODE, 4).encode()).length);
  }

  private static List<Byte> bytes(byte[] b) {
    List<Byte> out = new java.util.ArrayList<>();
    for (byte x : b) {
      out.add(x);
    }
    return out;
  }

  @Test
  void changesWaitForTheLeadersFirstEntryAndGoOneAtATime() {
    TestCluster c = TestCluster.of(3, 4, 5);
    c.node(1).campaign();
    // Deliver votes but keep the leader from applying its first entry: stop after the election.
    c.drop = m -> m.type() == MessageType.APPEND_RESP;
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(1).softState().role());
    assertFalse(
        c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_VOTER, 4)),
        "refused before an entry of this term is committed and applied");
    c.drop = m -> false;
    c.tick(1);
    assertTrue(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_VOTER, 4)));
    assertFalse(
        c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_VOTER, 5)),
        "refused while the previous change is not applied");
    c.deliverAll();
    c.tick(1);
    assertTrue(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_VOTER, 5)));
  }

  @Test
  void invalidChangesAreRefused() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.tick(1);
    assertFalse(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.ADD_VOTER, 2)));
    assertFalse(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.PROMOTE_LEARNER, 2)));
    assertFalse(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.REMOVE_NODE, 9)));
  }

  @Test
  void removedLeaderStepsDownAndTheRestElectANewOne() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.tick(1);
    assertTrue(c.node(1).proposeConfChange(new ConfChange(ConfChangeType.REMOVE_NODE, 1)));
    c.deliverAll();
    c.tick(1);
    assertEquals(Role.FOLLOWER, c.node(1).softState().role(), "the removed leader stepped down");
    c.tick(40);
    long lead = c.leader();
    assertNotEquals(RawNode.NONE, lead);
    assertNotEquals(1L, lead);
    assertTrue(c.node(lead).propose("after".getBytes()));
    c.deliverAll();
    assertEquals(List.of("after"), c.appliedData(lead));
  }

  @Test
  void removedFollowerNoLongerCountsTowardsQuorum() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.tick(1);
    c.node(1).proposeConfChange(new ConfChange(ConfChangeType.REMOVE_NODE, 3));
    c.deliverAll();
    c.tick(1);
    assertEquals(Set.of(1L, 2L), c.node(1).confState().voters());
    c.isolated.add(2L);
    c.node(1).propose("x".getBytes());
    c.deliverAll();
    assertTrue(c.appliedData(1).isEmpty(), "1 of 2 voters is no quorum");
  }

  @Test
  void confChangerRules() {
    ConfState cs = new ConfState(Set.of(1L, 2L), Set.of(3L));
    assertEquals(
        Set.of(1L, 2L, 3L),
        ConfChanger.apply(cs, new ConfChange(ConfChangeType.PROMOTE_LEARNER, 3)).voters());
    assertEquals(cs, ConfChanger.apply(cs, new ConfChange(ConfChangeType.ADD_LEARNER, 1)));
    ConfState one = ConfState.ofVoters(1L);
    assertEquals(one, ConfChanger.apply(one, new ConfChange(ConfChangeType.REMOVE_NODE, 1)));
    ConfChange cc = new ConfChange(ConfChangeType.ADD_VOTER, Long.MAX_VALUE);
    assertEquals(cc, ConfChange.decode(cc.encode()));
  }
}
