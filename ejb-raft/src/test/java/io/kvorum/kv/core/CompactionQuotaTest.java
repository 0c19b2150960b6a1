package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Compaction, hashes, the NOSPACE alarm and request limits, on both stores. */
class CompactionQuotaTest {
  private static long rows(TestStore s) {
    return s.store.history(0, 0, Long.MAX_VALUE, Integer.MAX_VALUE).size();
  }

  @OnBothStores
  void compactionRemovesOldRevisionsButKeepsEachKeysLatest(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("a", "1"); // 2
    s.put("a", "2"); // 3
    s.put("b", "1"); // 4
    s.del("b"); // 5
    s.put("c", "1"); // 6
    s.put("a", "3"); // 7
    assertEquals(6, rows(s));
    s.ok(new CompactionRequest(6, true));
    // kept: a@3 (latest <= 6), c@6, a@7; removed: a@2, b@4, and b's tombstone @5
    assertEquals(3, rows(s));
    assertEquals(
        "2", TestStore.str(s.get(RangeRequest.of("a").withRevision(6)).kvs().get(0).value()));
    assertTrue(s.get(RangeRequest.of("b").withRevision(6)).kvs().isEmpty());
    assertEquals(6, s.store.compactRevision());
    s.reopen();
    assertEquals(6, s.store.compactRevision());
    assertEquals(
        KvException.compacted().getMessage(),
        assertThrows(KvException.class, () -> s.get(RangeRequest.of("a").withRevision(5)))
            .getMessage());
    assertEquals("3", s.value("a"));
    assertEquals(2, s.get(RangeRequest.of("a")).kvs().get(0).createRevision());
  }

  @OnBothStores
  void compactionKeepsSurvivingSubRevisionsOfARevision(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.ok(
        new TxnRequest(
            List.of(),
            List.of(PutRequest.of("x", "1"), PutRequest.of("y", "1"), PutRequest.of("z", "1")),
            List.of())); // 2: x@(2,0) y@(2,1) z@(2,2)
    s.put("y", "2"); // 3
    s.put("q", "1"); // 4
    s.put("q", "2"); // 5
    s.ok(new CompactionRequest(5, true));
    assertEquals(4, rows(s), "y@(2,1) and q@4 removed; x@(2,0), z@(2,2), y@3, q@5 kept");
    assertEquals(
        List.of("q", "x", "y", "z"),
        TestStore.keys(s.get(RangeRequest.of(new byte[] {0}, new byte[] {0}).withRevision(5))));
    s.reopen();
    assertEquals("1", s.value("z"));
    assertEquals("2", s.value("y"));
  }

  private static long physicalRows(TestStore s) {
    return s.backend.history(0, 0, Long.MAX_VALUE, Integer.MAX_VALUE).size();
  }

  @OnBothStores
  void physicalDeletionIsChunkedInvisibleAndResumedAfterRestart(StoreKind kind) {
    TestStore s = new TestStore(kind);
    TestStore twin = new TestStore(StoreKind.MEMORY);
    for (TestStore t : List.of(s, twin)) {
      List<CommittedEntry> batch = new java.util.ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        batch.add(new CommittedEntry(++t.index, PutRequest.of("k" + (i % 10), "v" + i)));
      }
      t.store.applyBatch(batch);
      t.ok(new CompactionRequest(2900, true));
    }
    assertEquals(10 + 101, rows(s), "logically: each key's newest <= 2900, and 2901..3001");
    long physical = physicalRows(s);
    assertEquals(3000 - 1000, physical, "one chunk of 1,000 rows went with the compaction entry");
    assertEquals(twin.store.hashKv(0).hash(), s.store.hashKv(0).hash());
    s.reopen(); // as after a crash: the rest is rescheduled
    assertEquals(10 + 101, rows(s));
    assertEquals(twin.store.hashKv(0).hash(), s.store.hashKv(0).hash());
    assertEquals(twin.store.hash(), s.store.hash());
    int steps = 0;
    while (s.store.compactStep()) {
      steps++;
    }
    assertEquals(1, steps, "the remaining 1,889 rows take two chunks");
    assertEquals(10 + 101, physicalRows(s));
    assertEquals(twin.store.hashKv(0).hash(), s.store.hashKv(0).hash());
    assertEquals("v2999", s.value("k9"));
  }

  @OnBothStores
  void hashKvIsEqualForEqualHistoriesAndChecksRevisions(StoreKind kind) {
    TestStore a = new TestStore(kind);
    TestStore b = new TestStore(StoreKind.MEMORY);
    for (TestStore s : List.of(a, b)) {
      s.put("x", "1");
      s.put("y", "2");
      s.put("x", "3");
    }
    HashKvResponse ha = a.store.hashKv(3);
    assertEquals(ha.hash(), b.store.hashKv(3).hash(), "same history, same hash on either store");
    assertNotEquals(ha.hash(), a.store.hashKv(4).hash());
    assertEquals(a.store.hash(), b.store.hash());
    a.ok(new CompactionRequest(3, true));
    b.ok(new CompactionRequest(3, true));
    assertEquals(a.store.hashKv(0).hash(), b.store.hashKv(0).hash());
    assertEquals(3, a.store.hashKv(0).compactRevision());
    assertThrows(KvException.class, () -> a.store.hashKv(2));
    assertThrows(KvException.class, () -> a.store.hashKv(99));
  }

  @OnBothStores
  void quotaRaisesNoSpaceUntilSpaceIsFreedAndTheAlarmDisarmed(StoreKind kind) {
    TestStore s = new TestStore(kind, KvConfig.defaults().withQuotaBackendBytes(1000));
    String big = "x".repeat(300);
    s.put("a", big);
    s.put("b", big);
    KvException e = s.err(PutRequest.of("c", big));
    assertEquals("etcdserver: mvcc: database space exceeded", e.getMessage());
    assertEquals(KvException.Code.RESOURCE_EXHAUSTED, e.code());
    assertEquals(
        List.of(new AlarmResponse.AlarmMember(0, AlarmRequest.AlarmType.NOSPACE)),
        s.store.alarms());
    assertEquals(
        "etcdserver: mvcc: database space exceeded", s.err(PutRequest.of("d", "")).getMessage());
    assertEquals(
        "etcdserver: mvcc: database space exceeded",
        s.err(new TxnRequest(List.of(), List.of(PutRequest.of("e", "1")), List.of())).getMessage());
    assertEquals(
        "etcdserver: mvcc: database space exceeded",
        s.err(new LeaseGrantRequest(10, 0)).getMessage());
    s.ok(new TxnRequest(List.of(), List.of(DeleteRangeRequest.of("b")), List.of()));
    s.del("a"); // deletes, delete-only txns and compaction are allowed
    s.ok(new CompactionRequest(s.store.currentRevision(), true));
    assertEquals(
        "etcdserver: mvcc: database space exceeded", s.err(PutRequest.of("d", "")).getMessage());
    s.reopen();
    assertEquals(1, s.store.alarms().size(), "the alarm is persisted");
    AlarmResponse listed =
        (AlarmResponse)
            s.ok(new AlarmRequest(AlarmRequest.AlarmAction.GET, 0, AlarmRequest.AlarmType.NONE));
    assertEquals(1, listed.alarms().size());
    s.ok(new AlarmRequest(AlarmRequest.AlarmAction.DEACTIVATE, 0, AlarmRequest.AlarmType.NOSPACE));
    assertEquals(List.of(), s.store.alarms());
    s.put("d", "ok");
    assertEquals("ok", s.value("d"));
  }

  @OnBothStores
  void requestLimitsAreValidatedBeforeProposing(StoreKind kind) {
    KvConfig small = new KvConfig(3, 200, 0, 2, 16);
    RequestValidator v = new RequestValidator(small);
    KvException tooBig =
        assertThrows(KvException.class, () -> v.validate(PutRequest.of("k", "x".repeat(300))));
    assertEquals("etcdserver: request is too large", tooBig.getMessage());
    List<RequestOp> four =
        List.of(
            PutRequest.of("a", ""),
            PutRequest.of("b", ""),
            PutRequest.of("c", ""),
            PutRequest.of("d", ""));
    KvException ops =
        assertThrows(KvException.class, () -> v.validate(new TxnRequest(null, four, null)));
    assertEquals("etcdserver: too many operations in txn request", ops.getMessage());
    TestStore s = new TestStore(kind, small);
    v.validate(new TxnRequest(null, four.subList(0, 3), null));
    s.ok(new TxnRequest(null, four.subList(0, 3), null));
    assertEquals(2, s.store.currentRevision());
  }
}
