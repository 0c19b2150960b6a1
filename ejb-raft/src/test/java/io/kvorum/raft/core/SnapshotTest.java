package io.kvorum.raft.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Log compaction and InstallSnapshot in bounded chunks. */
class SnapshotTest {
  private static byte[] data(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31);
    }
    return b;
  }

  private static TestCluster laggingFollower() {
    TestCluster c = TestCluster.of(3);
    c.tweak = cfg -> cfg.snapshotChunkBytes(100);
    for (long id = 1; id <= 3; id++) {
      c.restart(id);
    }
    c.elect(1);
    c.isolated.add(3L);
    for (int i = 0; i < 10; i++) {
      c.node(1).propose(("e" + i).getBytes());
    }
    c.deliverAll();
    c.tick(1);
    RawNode leader = c.node(1);
    c.storages.get(1L).createSnapshot(leader.appliedIndex(), leader.confState(), data(250));
    c.isolated.clear();
    return c;
  }

  @Test
  void laggingFollowerReceivesTheSnapshotInChunksAndCatchesUp() {
    TestCluster c = laggingFollower();
    c.log.clear();
    c.tick(2);
    List<Message> chunks = c.log.stream().filter(m -> m.type() == MessageType.SNAPSHOT).toList();
    assertEquals(3, chunks.size(), "250 bytes in chunks of at most 100");
    for (Message m : chunks) {
      assertTrue(m.snapshotData().length <= 100);
    }
    MemoryLogStorage s3 = c.storages.get(3L);
    assertEquals(c.storages.get(1L).snapshot(), s3.snapshot());
    assertArrayEquals(data(250), s3.snapshotData());
    c.node(1).propose("after".getBytes());
    c.deliverAll();
    assertEquals(List.of("after"), c.appliedData(3L));
    assertEquals(c.node(1).lastIndex(), c.node(3).lastIndex());
  }

  @Test
  void lostChunkIsResentOnTheNextHeartbeat() {
    TestCluster c = laggingFollower();
    boolean[] dropped = {false};
    c.drop =
        m -> {
          if (m.type() == MessageType.SNAPSHOT && m.snapshotOffset() == 100 && !dropped[0]) {
            dropped[0] = true;
            return true;
          }
          return false;
        };
    c.tick(3);
    assertTrue(dropped[0]);
    assertArrayEquals(data(250), c.storages.get(3L).snapshotData());
  }

  @Test
  void followerRestartingMidSnapshotStartsOver() {
    TestCluster c = laggingFollower();
    c.drop = m -> m.type() == MessageType.SNAPSHOT && m.snapshotOffset() == 200;
    c.tick(1);
    c.restart(3);
    c.drop = m -> false;
    c.tick(3);
    assertArrayEquals(data(250), c.storages.get(3L).snapshotData());
    assertEquals(c.node(1).lastIndex(), c.node(3).lastIndex());
  }

  @Test
  void restartFromSnapshotKeepsMembershipAndLog() {
    TestCluster c = laggingFollower();
    c.tick(3);
    c.restart(3);
    assertEquals(c.node(1).confState(), c.node(3).confState());
    assertEquals(c.node(1).lastIndex(), c.node(3).lastIndex());
  }
}
