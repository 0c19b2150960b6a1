package io.kvorum.raft.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ReadIndex linearizable reads and leadership transfer. */
class ReadIndexAndTransferTest {
  @Test
  void leaderAnswersReadAfterAHeartbeatQuorum() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose("x".getBytes());
    c.deliverAll();
    c.isolated.add(2L);
    c.isolated.add(3L);
    c.node(1).readIndex("r1".getBytes());
    c.deliverAll();
    assertTrue(c.reads.get(1L).isEmpty(), "no answer without a quorum of heartbeat acks");
    c.isolated.clear();
    c.node(1).readIndex("r2".getBytes());
    c.deliverAll();
    assertEquals(2, c.reads.get(1L).size(), "r2's round confirms r1 as well");
    assertEquals(5, c.reads.get(1L).get(0).index());
    assertArrayEquals("r1".getBytes(), c.reads.get(1L).get(0).context());
  }

  @Test
  void followerReadIsAnsweredByTheLeader() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.node(1).propose("x".getBytes());
    c.deliverAll();
    c.node(3).readIndex("f".getBytes());
    c.deliverAll();
    assertEquals(1, c.reads.get(3L).size());
    assertEquals(5, c.reads.get(3L).get(0).index());
  }

  @Test
  void readWaitsForTheLeadersFirstCommit() {
    TestCluster c = TestCluster.of(3);
    c.node(1).campaign();
    c.drop = m -> m.type() == MessageType.APPEND_RESP;
    c.deliverAll();
    c.node(1).readIndex("early".getBytes());
    c.deliverAll();
    assertTrue(c.reads.get(1L).isEmpty());
    c.drop = m -> false;
    c.tick(1);
    assertEquals(1, c.reads.get(1L).size());
    assertEquals(4, c.reads.get(1L).get(0).index());
  }

  @Test
  void transferCatchesTheTargetUpThenTimesOut() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.isolated.add(3L);
    c.node(1).propose("x".getBytes());
    c.deliverAll();
    c.isolated.clear();
    c.node(1).transferLeadership(3);
    assertFalse(c.node(1).propose("blocked".getBytes()), "no proposals during a transfer");
    c.deliverAll();
    assertEquals(Role.LEADER, c.node(3).softState().role());
    assertEquals(3, c.raft(3).term);
    assertEquals(Role.FOLLOWER, c.node(1).softState().role());
  }

  @Test
  void transferRequestedOnAFollowerIsForwarded() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.node(2).transferLeadership(2);
    c.deliverAll();
    assertEquals(2, c.leader());
  }

  @Test
  void transferToAnUnreachableNodeIsAbandonedAfterAnElectionTimeout() {
    TestCluster c = TestCluster.of(3);
    c.elect(1);
    c.isolated.add(3L);
    c.node(1).transferLeadership(3);
    assertFalse(c.node(1).propose("x".getBytes()));
    c.tick(10);
    assertTrue(c.node(1).propose("y".getBytes()), "transfer abandoned");
  }
}
