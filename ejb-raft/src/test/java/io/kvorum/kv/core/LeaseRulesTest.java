package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Leases: grant, revoke, keep-alive, expiry through the log, checkpoints; on both stores. */
class LeaseRulesTest {
  @OnBothStores
  void grantWithGivenOrGeneratedIdAndMinimumTtl(StoreKind kind) {
    TestStore s = new TestStore(kind);
    LeaseGrantResponse g = (LeaseGrantResponse) s.ok(new LeaseGrantRequest(1, 0));
    assertTrue(g.id() > 0);
    assertEquals(2, g.ttl(), "etcd's minimum with a 1 s election timeout");
    TestStore other = new TestStore(StoreKind.MEMORY);
    assertEquals(
        g.id(),
        ((LeaseGrantResponse) other.ok(new LeaseGrantRequest(1, 0))).id(),
        "a generated id depends only on the log, so every member agrees");
    LeaseGrantResponse h = (LeaseGrantResponse) s.ok(new LeaseGrantRequest(60, 42));
    assertEquals(42, h.id());
    assertEquals(60, h.ttl());
    assertEquals(List.of(42L, g.id()).stream().sorted().toList(), s.store.lessor().leases());
    assertEquals(5, KvConfig.minLeaseTtl(100, 3000), "ceil(1.5 * 3 s)");
  }

  @OnBothStores
  void revokeDeletesAttachedKeysInOneRevision(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.ok(new LeaseGrantRequest(60, 1));
    s.ok(PutRequest.of("a", "1").withLease(1)); // 2
    s.ok(PutRequest.of("b", "1").withLease(1)); // 3
    s.ok(PutRequest.of("c", "1").withLease(1)); // 4
    s.put("c", "detached"); // 5: a put without the lease detaches c
    LeaseTimeToLiveResponse t = s.store.leaseTimeToLive(1, true, 0);
    assertEquals(List.of("a", "b"), t.keys().stream().map(TestStore::str).toList());
    assertEquals(60, t.grantedTtl());
    s.ok(new LeaseRevokeRequest(1));
    assertEquals(6, s.store.currentRevision());
    assertNull(s.value("a"));
    assertNull(s.value("b"));
    assertEquals("detached", s.value("c"));
    assertEquals(-1, s.store.leaseTimeToLive(1, false, 0).ttl());
    s.ok(new LeaseGrantRequest(60, 2));
    s.ok(new LeaseRevokeRequest(2));
    assertEquals(6, s.store.currentRevision(), "revoking a lease without keys does not bump");
  }

  @OnBothStores
  void leaderDecidesExpiryAndEveryMemberAppliesTheSameRevoke(StoreKind kind) {
    TestStore leader = new TestStore(kind);
    TestStore follower = new TestStore(StoreKind.MEMORY);
    List<KvRequest> log =
        List.of(new LeaseGrantRequest(10, 7), PutRequest.of("k", "v").withLease(7));
    for (KvRequest r : log) {
      leader.ok(r);
      follower.ok(r);
    }
    Lessor l = leader.store.lessor();
    l.promote(1_000);
    assertEquals(List.of(), l.expired(5_000, 10));
    assertEquals(List.of(), follower.store.lessor().expired(100_000, 10), "followers never expire");
    assertEquals(10, l.keepAlive(7, 5_000));
    assertEquals(0, l.keepAlive(99, 5_000), "keep-alive of an unknown lease answers TTL 0");
    assertEquals(List.of(), l.expired(14_999, 10));
    assertEquals(List.of(7L), l.expired(15_000, 10));
    assertEquals(
        0, l.keepAlive(7, 15_001), "an expired lease is not renewed while its revoke runs");
    for (TestStore s : List.of(leader, follower)) {
      s.ok(new LeaseRevokeRequest(7));
      assertNull(s.value("k"));
    }
    assertEquals(leader.store.hashKv(0).hash(), follower.store.hashKv(0).hash());
    KvException notLeader =
        assertThrows(KvException.class, () -> follower.store.lessor().keepAlive(7, 0));
    assertEquals("etcdserver: not leader", notLeader.getMessage());
  }

  @OnBothStores
  void aForwardedKeepAliveAnswersTheTtlEverywhereAndRenewsOnTheLeaderOnly(StoreKind kind) {
    TestStore leader = new TestStore(kind);
    TestStore follower = new TestStore(StoreKind.MEMORY);
    for (TestStore s : List.of(leader, follower)) {
      s.ok(new LeaseGrantRequest(10, 7));
    }
    leader.store.lessor().promote(0);
    long rev = leader.store.currentRevision();
    for (TestStore s : List.of(leader, follower)) {
      LeaseKeepAliveResponse k = (LeaseKeepAliveResponse) s.ok(new LeaseKeepAliveRequest(7));
      assertEquals(10, k.ttl(), "every member answers the same TTL");
      assertEquals(rev, k.header().revision(), "a keep-alive writes no revision");
      assertEquals(0, ((LeaseKeepAliveResponse) s.ok(new LeaseKeepAliveRequest(8))).ttl());
    }
    assertEquals(List.of(), leader.store.lessor().expired(9_000, 10), "renewed at 9 s, to 19 s");
    assertEquals(List.of(), leader.store.lessor().expired(18_999, 10));
    assertEquals(List.of(7L), leader.store.lessor().expired(19_000, 10));
    assertEquals(leader.store.hashKv(0).hash(), follower.store.hashKv(0).hash());
  }

  @OnBothStores
  void checkpointsCarryRemainingTtlAcrossALeaderChange(StoreKind kind) {
    TestStore a = new TestStore(kind);
    TestStore b = new TestStore(StoreKind.MEMORY);
    a.ok(new LeaseGrantRequest(100, 1));
    b.ok(new LeaseGrantRequest(100, 1));
    a.store.lessor().promote(0);
    assertNull(a.store.lessor().checkpoints(10_000, 60_000, 100), "nothing due yet");
    LeaseCheckpointRequest cp = a.store.lessor().checkpoints(60_000, 60_000, 100);
    assertEquals(List.of(new LeaseCheckpointRequest.LeaseCheckpoint(1, 40)), cp.checkpoints());
    a.ok(cp);
    b.ok(cp);
    a.store.lessor().demote();
    b.store.lessor().promote(500_000);
    assertEquals(40, b.store.leaseTimeToLive(1, false, 500_000).ttl(), "not reset to 100");
    assertEquals(List.of(), b.store.lessor().expired(539_999, 10));
    assertEquals(List.of(1L), b.store.lessor().expired(540_000, 10));
    a.reopen();
    assertEquals(40, a.store.leaseTimeToLive(1, false, 0).ttl(), "checkpoints are persisted");
  }
}
