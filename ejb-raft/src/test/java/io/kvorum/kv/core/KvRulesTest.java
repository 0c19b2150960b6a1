package io.kvorum.kv.core;

import static io.kvorum.kv.core.TestStore.assertKv;
import static io.kvorum.kv.core.TestStore.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.kv.core.RangeRequest.SortOrder;
import io.kvorum.kv.core.RangeRequest.SortTarget;
import java.util.List;

/** Revisions, range, put and delete rules of etcd 3.4, on both stores. */
class KvRulesTest {
  @OnBothStores
  void revisionsVersionsAndTombstones(StoreKind kind) {
    TestStore s = new TestStore(kind);
    assertEquals(1, s.store.currentRevision(), "an empty store is at revision 1");
    assertEquals(2, s.put("a", "1").header().revision());
    assertEquals(3, s.put("a", "1").header().revision(), "an identical put still bumps");
    assertKv(s.get(RangeRequest.of("a")).kvs().get(0), "a", 2, 3, 2, "1");
    DeleteRangeResponse d = s.del("a");
    assertEquals(1, d.deleted());
    assertEquals(4, d.header().revision());
    DeleteRangeResponse missing = s.del("a");
    assertEquals(0, missing.deleted());
    assertEquals(4, missing.header().revision(), "deleting a missing key does not bump");
    assertEquals(4, s.store.currentRevision());
    s.put("a", "2");
    assertKv(s.get(RangeRequest.of("a")).kvs().get(0), "a", 5, 5, 1, "2");
    assertKv(s.get(RangeRequest.of("a").withRevision(3)).kvs().get(0), "a", 2, 3, 2, "1");
    assertTrue(s.get(RangeRequest.of("a").withRevision(4)).kvs().isEmpty(), "deleted at 4");
    assertTrue(s.get(RangeRequest.of("a").withRevision(1)).kvs().isEmpty());
  }

  @OnBothStores
  void rangeShapes(StoreKind kind) {
    TestStore s = new TestStore(kind);
    for (String k : List.of("a", "b", "b1", "b2", "c", "\u00ff")) {
      s.put(k, "v" + k);
    }
    assertEquals(List.of("b"), keys(s.get(RangeRequest.of("b"))));
    assertEquals(
        List.of("b", "b1", "b2"), keys(s.get(RangeRequest.of(Bytes.of("b"), Bytes.of("c")))));
    assertEquals(List.of("b", "b1", "b2"), keys(s.get(RangeRequest.prefix("b"))));
    byte[] zero = {0};
    assertEquals(
        List.of("c", "\u00ff"), keys(s.get(RangeRequest.of(Bytes.of("c"), zero))), "from-key");
    assertEquals(6, s.get(RangeRequest.of(zero, zero)).count(), "all keys");
    assertTrue(s.get(RangeRequest.of(Bytes.of("c"), Bytes.of("b"))).kvs().isEmpty());
    assertTrue(s.get(RangeRequest.of("zz")).kvs().isEmpty());
    assertEquals(0, s.get(RangeRequest.of("zz")).count());
  }

  @OnBothStores
  void limitMoreCountAndKeysOnly(StoreKind kind) {
    TestStore s = new TestStore(kind);
    for (String k : List.of("k1", "k2", "k3", "k4")) {
      s.put(k, "v");
    }
    RangeResponse r = s.get(RangeRequest.prefix("k").withLimit(2));
    assertEquals(List.of("k1", "k2"), keys(r));
    assertTrue(r.more());
    assertEquals(4, r.count(), "count is the whole range");
    RangeResponse all = s.get(RangeRequest.prefix("k").withLimit(4));
    assertFalse(all.more());
    RangeResponse c = s.get(RangeRequest.prefix("k").withCountOnly(true));
    assertEquals(4, c.count());
    assertTrue(c.kvs().isEmpty());
    RangeResponse ko = s.get(RangeRequest.prefix("k").withKeysOnly(true));
    assertEquals(0, ko.kvs().get(0).value().length);
    assertEquals(1, ko.kvs().get(0).version());
  }

  @OnBothStores
  void sortAndFilters(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("a", "3"); // rev 2
    s.put("b", "1"); // rev 3
    s.put("c", "2"); // rev 4
    s.put("a", "4"); // rev 5: a has version 2, create 2, mod 5
    RangeRequest p = RangeRequest.of(new byte[] {0}, new byte[] {0});
    assertEquals(
        List.of("c", "b", "a"), keys(s.get(p.withSort(SortOrder.DESCEND, SortTarget.KEY))));
    assertEquals(
        List.of("b", "c", "a"), keys(s.get(p.withSort(SortOrder.ASCEND, SortTarget.VALUE))));
    assertEquals(
        List.of("a", "c", "b"), keys(s.get(p.withSort(SortOrder.DESCEND, SortTarget.MOD))));
    assertEquals(
        List.of("b", "c", "a"),
        keys(s.get(p.withSort(SortOrder.NONE, SortTarget.MOD))),
        "a target other than KEY with order NONE sorts ascending");
    assertEquals(
        List.of("a", "b", "c"), keys(s.get(p.withSort(SortOrder.ASCEND, SortTarget.CREATE))));
    assertEquals("a", keys(s.get(p.withSort(SortOrder.DESCEND, SortTarget.VERSION))).get(0));
    RangeResponse top = s.get(p.withSort(SortOrder.DESCEND, SortTarget.MOD).withLimit(1));
    assertEquals(List.of("a"), keys(top), "sorting runs before limit");
    assertTrue(top.more());
    assertEquals(List.of("b", "c"), keys(s.get(p.withFilters(3, 4, 0, 0))));
    assertEquals(List.of("a", "b"), keys(s.get(p.withFilters(0, 0, 0, 3))));
    assertEquals(List.of("b", "c"), keys(s.get(p.withFilters(0, 0, 3, 0))));
    RangeResponse f = s.get(p.withFilters(5, 0, 0, 0));
    assertEquals(List.of("a"), keys(f));
    assertEquals(3, f.count(), "count is taken before the filters");
  }

  @OnBothStores
  void pastFutureAndCompactedRevisions(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("a", "1");
    s.put("a", "2");
    s.put("a", "3");
    KvException future =
        assertThrows(KvException.class, () -> s.get(RangeRequest.of("a").withRevision(5)));
    assertEquals("etcdserver: mvcc: required revision is a future revision", future.getMessage());
    assertEquals(KvException.Code.OUT_OF_RANGE, future.code());
    s.ok(new CompactionRequest(3, false));
    KvException compacted =
        assertThrows(KvException.class, () -> s.get(RangeRequest.of("a").withRevision(2)));
    assertEquals("etcdserver: mvcc: required revision has been compacted", compacted.getMessage());
    assertEquals(
        "2",
        TestStore.str(s.get(RangeRequest.of("a").withRevision(3)).kvs().get(0).value()),
        "reading at the compacted revision is OK");
    RangeResponse r = s.get(RangeRequest.of("a").withRevision(3));
    assertEquals(4, r.header().revision(), "the header carries the current revision");
  }

  @OnBothStores
  void putOptions(StoreKind kind) {
    TestStore s = new TestStore(kind);
    PutResponse first = (PutResponse) s.ok(PutRequest.of("k", "v1").withPrevKv());
    assertNull(first.prevKv(), "no prev_kv for a new key");
    PutResponse second = (PutResponse) s.ok(PutRequest.of("k", "v2").withPrevKv());
    assertKv(second.prevKv(), "k", 2, 2, 1, "v1");
    LeaseGrantResponse l = (LeaseGrantResponse) s.ok(new LeaseGrantRequest(60, 7));
    s.ok(new PutRequest(Bytes.of("k"), Bytes.of("v3"), l.id(), false, false, false));
    s.ok(new PutRequest(Bytes.of("k"), null, 0, false, true, true));
    KeyValue kv = s.get(RangeRequest.of("k")).kvs().get(0);
    assertEquals("v3", TestStore.str(kv.value()), "ignore_value keeps the value");
    assertEquals(7, kv.lease(), "ignore_lease keeps the lease");
    s.ok(new PutRequest(Bytes.of("k"), Bytes.of("v4"), 0, false, false, true));
    assertEquals(7, s.get(RangeRequest.of("k")).kvs().get(0).lease());
    KvException nf = s.err(new PutRequest(Bytes.of("nope"), null, 0, false, true, false));
    assertEquals("etcdserver: key not found", nf.getMessage());
    KvException nl = s.err(new PutRequest(Bytes.of("nope"), null, 0, false, false, true));
    assertEquals("etcdserver: key not found", nl.getMessage());
    KvException lease = s.err(PutRequest.of("k", "x").withLease(12345));
    assertEquals("etcdserver: requested lease not found", lease.getMessage());
    assertEquals(KvException.Code.NOT_FOUND, lease.code());
    assertEquals(6, s.store.currentRevision(), "failed puts do not bump the revision");
  }

  @OnBothStores
  void deleteRangeWithPrevKvs(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("p/1", "a");
    s.put("p/2", "b");
    s.put("q", "c");
    DeleteRangeResponse d =
        (DeleteRangeResponse)
            s.ok(new DeleteRangeRequest(Bytes.of("p/"), Bytes.prefixEnd(Bytes.of("p/")), true));
    assertEquals(2, d.deleted());
    assertEquals(
        List.of("p/1", "p/2"), d.prevKvs().stream().map(k -> TestStore.str(k.key())).toList());
    assertEquals(5, d.header().revision(), "one revision for the whole range");
    assertEquals(List.of("q"), keys(s.get(RangeRequest.of(new byte[] {0}, new byte[] {0}))));
  }

  @OnBothStores
  void stateSurvivesReopen(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("a", "1");
    s.put("b", "2");
    s.del("a");
    s.ok(new LeaseGrantRequest(100, 5));
    s.ok(PutRequest.of("c", "3").withLease(5));
    s.reopen();
    assertEquals(5, s.store.currentRevision());
    assertEquals(s.index, s.store.appliedIndex());
    assertNull(s.value("a"));
    assertEquals("2", s.value("b"));
    assertEquals(List.of(5L), s.store.lessor().leases());
    s.ok(new LeaseRevokeRequest(5));
    assertNull(s.value("c"), "attached keys are rebuilt on open");
  }

  @OnBothStores
  void reapplyingAnAppliedEntryIsANoOp(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.store.apply(1, PutRequest.of("a", "1"));
    s.store.apply(2, PutRequest.of("a", "2"));
    s.reopen();
    ApplyResult again = s.store.apply(2, PutRequest.of("a", "2"));
    assertTrue(again.skipped());
    List<ApplyResult> rs =
        s.store.applyBatch(
            List.of(
                new CommittedEntry(1, PutRequest.of("a", "1")),
                new CommittedEntry(2, PutRequest.of("a", "2")),
                new CommittedEntry(3, PutRequest.of("a", "3"))));
    assertTrue(rs.get(0).skipped() && rs.get(1).skipped());
    assertEquals(4, rs.get(2).response().header().revision());
    assertEquals(3, s.store.appliedIndex());
    assertEquals(3, s.get(RangeRequest.of("a")).kvs().get(0).version());
  }

  @OnBothStores
  void batchOfEntriesSeesItsOwnWrites(StoreKind kind) {
    TestStore s = new TestStore(kind);
    List<ApplyResult> rs =
        s.store.applyBatch(
            List.of(
                new CommittedEntry(1, PutRequest.of("a", "1")),
                new CommittedEntry(2, new PutRequest(Bytes.of("a"), null, 0, true, true, false)),
                new CommittedEntry(3, new CompactionRequest(3, true)),
                new CommittedEntry(4, RangeRequest.of("a")),
                new CommittedEntry(5, null)));
    assertKv(((PutResponse) rs.get(1).response()).prevKv(), "a", 2, 2, 1, "1");
    assertKv(((RangeResponse) rs.get(3).response()).kvs().get(0), "a", 2, 3, 2, "1");
    assertEquals(5, s.store.appliedIndex());
    s.reopen();
    assertKv(s.get(RangeRequest.of("a")).kvs().get(0), "a", 2, 3, 2, "1");
  }
}
