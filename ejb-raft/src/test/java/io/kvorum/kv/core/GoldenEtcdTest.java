package io.kvorum.kv.core;

import static io.kvorum.kv.core.Compare.CompareResult.NOT_EQUAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

/**
 * A scripted sequence whose revisions, counts and error texts were checked against a real etcd
 * 3.4.23 (single member, JSON gateway via curl, 2026-11-24). Each expectation is what etcd
 * answered.
 */
class GoldenEtcdTest {
  private final RequestValidator validator = new RequestValidator(KvConfig.defaults());

  /** Validates like the API layer, then applies: the error etcd returns, or the response. */
  private static Object call(TestStore s, RequestValidator v, KvRequest r) {
    try {
      v.validate(r);
    } catch (KvException e) {
      return e;
    }
    ApplyResult a = s.apply(r);
    return a.error() != null ? a.error() : a.response();
  }

  private static String error(Object o) {
    return ((KvException) o).getMessage();
  }

  private static long rev(Object o) {
    return ((KvResponse) o).header().revision();
  }

  @OnBothStores
  void scriptedSequenceMatchesEtcd(StoreKind kind) {
    TestStore s = new TestStore(kind);
    RequestValidator v = validator;
    assertEquals(2, rev(call(s, v, PutRequest.of("a", "1"))));
    assertEquals(3, rev(call(s, v, PutRequest.of("k1", "v1"))));
    PutResponse p = (PutResponse) call(s, v, PutRequest.of("k1", "v1").withPrevKv());
    assertEquals(4, rev(p));
    TestStore.assertKv(p.prevKv(), "k1", 3, 3, 1, "v1");
    assertEquals(4, rev(call(s, v, DeleteRangeRequest.of("nokey"))));
    Object dup =
        call(
            s,
            v,
            new TxnRequest(
                List.of(
                    Compare.number(
                        "k1", Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, 2)),
                List.of(
                    PutRequest.of("k2", "v2"),
                    PutRequest.of("k3", "v3"),
                    RangeRequest.of(Bytes.of("k"), Bytes.of("l")),
                    new TxnRequest(List.of(), List.of(DeleteRangeRequest.of("k3")), List.of())),
                List.of()));
    assertEquals("etcdserver: duplicate key given in txn request", error(dup));
    RangeResponse lim =
        (RangeResponse) call(s, v, RangeRequest.of(Bytes.of("k"), Bytes.of("l")).withLimit(1));
    assertEquals(1, lim.count());
    assertFalse(lim.more());
    TestStore.assertKv(lim.kvs().get(0), "k1", 3, 4, 2, "v1");
    RangeResponse all =
        (RangeResponse)
            call(
                s,
                v,
                RangeRequest.of(new byte[] {0}, new byte[] {0})
                    .withSort(RangeRequest.SortOrder.DESCEND, RangeRequest.SortTarget.MOD)
                    .withKeysOnly(true));
    assertEquals(List.of("k1", "a"), TestStore.keys(all));
    assertEquals(
        "etcdserver: key not found",
        error(call(s, v, new PutRequest(Bytes.of("k9"), null, 0, false, true, false))));
    assertEquals(
        "etcdserver: value is provided",
        error(call(s, v, new PutRequest(Bytes.of("k9"), Bytes.of("x"), 0, false, true, false))));
    assertEquals(
        "etcdserver: lease is provided",
        error(call(s, v, new PutRequest(Bytes.of("k1"), null, 12345, false, false, true))));
    KvException nl = (KvException) call(s, v, PutRequest.of("k1", "x").withLease(12345));
    assertEquals("etcdserver: requested lease not found", nl.getMessage());
    assertEquals(KvException.Code.NOT_FOUND, nl.code());
    assertEquals("etcdserver: key is not provided", error(call(s, v, PutRequest.of("", "x"))));
    assertEquals(
        "etcdserver: mvcc: required revision is a future revision",
        error(call(s, v, RangeRequest.of("k1").withRevision(100))));
    assertEquals(4, rev(call(s, v, new CompactionRequest(3, false))));
    assertEquals(
        "etcdserver: mvcc: required revision has been compacted",
        error(call(s, v, RangeRequest.of("k1").withRevision(2))));
    RangeResponse at3 = (RangeResponse) call(s, v, RangeRequest.of("k1").withRevision(3));
    TestStore.assertKv(at3.kvs().get(0), "k1", 3, 3, 1, "v1");
    assertEquals(
        "etcdserver: mvcc: required revision has been compacted",
        error(call(s, v, new CompactionRequest(3, false))));
    assertEquals(
        "etcdserver: mvcc: required revision is a future revision",
        error(call(s, v, new CompactionRequest(100, false))));
    assertEquals(
        "etcdserver: duplicate key given in txn request",
        error(
            call(
                s,
                v,
                new TxnRequest(
                    List.of(),
                    List.of(PutRequest.of("d", "v2"), PutRequest.of("d", "v3")),
                    null))));
    assertEquals(
        "etcdserver: duplicate key given in txn request",
        error(
            call(
                s,
                v,
                new TxnRequest(
                    List.of(),
                    List.of(
                        new DeleteRangeRequest(Bytes.of("a"), Bytes.of("z"), false),
                        PutRequest.of("d", "v3")),
                    null))));
    TxnResponse nested =
        (TxnResponse)
            call(
                s,
                v,
                new TxnRequest(
                    List.of(),
                    List.of(
                        new TxnRequest(
                            List.of(),
                            List.of(PutRequest.of("d", "v3")),
                            List.of(PutRequest.of("d", "v3")))),
                    null));
    assertEquals(5, rev(nested));
    TxnResponse inner = (TxnResponse) nested.responses().get(0);
    assertEquals(0, inner.header().revision(), "etcd: \"header\":{}");
    assertEquals(5, ((PutResponse) inner.responses().get(0)).header().revision());
    TxnResponse valueMissing =
        (TxnResponse)
            call(
                s,
                v,
                new TxnRequest(
                    List.of(Compare.value("nokey", NOT_EQUAL, "x")),
                    List.of(RangeRequest.of("k1")),
                    List.of(RangeRequest.of("k2"))));
    assertFalse(valueMissing.succeeded());
    assertEquals(5, ((RangeResponse) valueMissing.responses().get(0)).header().revision());
    DeleteRangeResponse d =
        (DeleteRangeResponse)
            call(s, v, new DeleteRangeRequest(Bytes.of("k"), Bytes.of("l"), true));
    assertEquals(6, rev(d));
    assertEquals(1, d.deleted());
    TestStore.assertKv(d.prevKvs().get(0), "k1", 3, 4, 2, "v1");
    LeaseGrantResponse g = (LeaseGrantResponse) call(s, v, new LeaseGrantRequest(1, 777));
    assertEquals(6, rev(g));
    assertEquals(2, g.ttl(), "TTL 1 is raised to the minimum 2");
    KvException exists = (KvException) call(s, v, new LeaseGrantRequest(1, 777));
    assertEquals("etcdserver: lease already exists", exists.getMessage());
    assertEquals(KvException.Code.FAILED_PRECONDITION, exists.code());
    KvException big = (KvException) call(s, v, new LeaseGrantRequest(9_000_000_001L, 0));
    assertEquals("etcdserver: too large lease TTL", big.getMessage());
    assertEquals(KvException.Code.OUT_OF_RANGE, big.code());
    assertEquals(7, rev(call(s, v, PutRequest.of("L1", "x").withLease(777))));
    assertEquals(8, rev(call(s, v, PutRequest.of("L2", "x").withLease(777))));
    assertEquals(9, rev(call(s, v, new LeaseRevokeRequest(777))), "one revision for both keys");
    RangeResponse left =
        (RangeResponse) call(s, v, RangeRequest.of(new byte[] {0}, new byte[] {0}));
    assertEquals(List.of("a", "d"), TestStore.keys(left));
    TestStore.assertKv(left.kvs().get(1), "d", 5, 5, 1, "v3");
    assertEquals(
        "etcdserver: requested lease not found", error(call(s, v, new LeaseRevokeRequest(777))));
    assertEquals(-1, s.store.lessor().timeToLive(777, false, 0).ttl());
    assertThrows(KvException.class, () -> validator.validate(RangeRequest.of("")));
  }

  /** A second script, also checked against etcd 3.4.23 through the JSON gateway (2026-11-25). */
  @OnBothStores
  void sortLimitFiltersAndFromKeyDeleteInTxnMatchEtcd(StoreKind kind) {
    TestStore s = new TestStore(kind);
    RequestValidator v = validator;
    for (String[] kv :
        new String[][] {{"a", "1"}, {"b", "1"}, {"b", "2"}, {"c", "1"}, {"c", "2"}, {"c", "3"}}) {
      call(s, v, PutRequest.of(kv[0], kv[1]));
    }
    byte[] zero = {0};
    RangeRequest all = RangeRequest.of(zero, zero).withKeysOnly(true);
    RangeResponse byVersion =
        (RangeResponse)
            call(
                s,
                v,
                all.withLimit(2)
                    .withSort(RangeRequest.SortOrder.NONE, RangeRequest.SortTarget.VERSION));
    assertEquals(List.of("a", "b"), TestStore.keys(byVersion));
    assertEquals(3, byVersion.count());
    RangeResponse desc =
        (RangeResponse)
            call(
                s,
                v,
                all.withLimit(2)
                    .withSort(RangeRequest.SortOrder.DESCEND, RangeRequest.SortTarget.VERSION));
    assertEquals(List.of("c", "b"), TestStore.keys(desc));
    assertEquals(3, desc.count());
    RangeResponse minMod = (RangeResponse) call(s, v, all.withFilters(4, 0, 0, 0));
    assertEquals(List.of("b", "c"), TestStore.keys(minMod));
    assertEquals(3, minMod.count(), "etcd counts before the filters");
    RangeResponse minModLimit =
        (RangeResponse) call(s, v, all.withFilters(4, 0, 0, 0).withLimit(1));
    assertEquals(List.of("b"), TestStore.keys(minModLimit));
    assertEquals(true, minModLimit.more());
    TxnResponse t =
        (TxnResponse)
            call(
                s,
                v,
                new TxnRequest(
                    null,
                    List.of(
                        new DeleteRangeRequest(Bytes.of("a"), zero, false),
                        PutRequest.of("d", "v3")),
                    null));
    assertEquals(8, rev(t), "etcd accepts a from-key delete next to a put");
    assertEquals(3, ((DeleteRangeResponse) t.responses().get(0)).deleted());
    assertEquals(8, ((PutResponse) t.responses().get(1)).header().revision());
    assertEquals(
        1,
        ((RangeResponse) call(s, v, RangeRequest.of(Bytes.of("a"), zero).withCountOnly(true)))
            .count());
  }
}
