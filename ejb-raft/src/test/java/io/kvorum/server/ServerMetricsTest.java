package io.kvorum.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServerMetricsTest {
  @Test
  void leaderChangesCountAsEtcdCountsThem() {
    ServerMetrics m = new ServerMetrics(() -> 0);
    m.leader(0); // no leader yet
    m.leader(7); // one elected
    m.leader(7); // the same one again: no change
    m.leader(0); // lost it
    m.leader(7); // regained: etcd counts this
    m.leader(9);
    assertEquals(3, m.leaderChanges());
  }

  @Test
  void persistLatencyFallsInEtcdsWalFsyncBuckets() {
    ServerMetrics m = new ServerMetrics(() -> 4);
    m.logPersisted(500_000); // 0.5 ms: le=0.001
    m.logPersisted(1_000_000); // exactly 1 ms: le=0.001 (bounds are inclusive)
    m.logPersisted(3_000_000); // le=0.004
    m.logPersisted(20_000_000_000L); // 20 s: only +Inf
    ServerMetrics.Histogram h = m.logPersistDuration();
    assertEquals(0.001, h.bounds()[0]);
    assertEquals(8.192, h.bounds()[13], 1e-12);
    assertArrayEquals(new long[] {2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, h.cumulative());
    assertEquals(4, h.count());
    assertEquals(20.0045, h.sumSeconds(), 1e-9);
    assertEquals(4, m.proposalsPending());
  }
}
