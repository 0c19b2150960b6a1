package io.kvorum.kv.core;

import static io.kvorum.kv.core.Compare.CompareResult.EQUAL;
import static io.kvorum.kv.core.Compare.CompareResult.GREATER;
import static io.kvorum.kv.core.Compare.CompareResult.LESS;
import static io.kvorum.kv.core.Compare.CompareResult.NOT_EQUAL;
import static io.kvorum.kv.core.Compare.CompareTarget.CREATE;
import static io.kvorum.kv.core.Compare.CompareTarget.LEASE;
import static io.kvorum.kv.core.Compare.CompareTarget.MOD;
import static io.kvorum.kv.core.Compare.CompareTarget.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Txn rules of etcd 3.4, on both stores. */
class TxnRulesTest {
  private static TxnRequest txn(List<Compare> cmp, List<RequestOp> then, List<RequestOp> other) {
    return new TxnRequest(cmp, then, other);
  }

  private static boolean succeeds(TestStore s, Compare c) {
    return ((TxnResponse) s.ok(txn(List.of(c), List.of(), List.of()))).succeeded();
  }

  @OnBothStores
  void comparesOnEveryTargetAndResult(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.ok(new LeaseGrantRequest(100, 9));
    s.put("k", "m"); // rev 2
    s.ok(PutRequest.of("k", "m").withLease(9)); // rev 3, version 2
    assertTrue(succeeds(s, Compare.value("k", EQUAL, "m")));
    assertTrue(succeeds(s, Compare.value("k", GREATER, "a")));
    assertTrue(succeeds(s, Compare.value("k", LESS, "z")));
    assertTrue(succeeds(s, Compare.value("k", NOT_EQUAL, "x")));
    assertFalse(succeeds(s, Compare.value("k", NOT_EQUAL, "m")));
    assertTrue(succeeds(s, Compare.number("k", VERSION, EQUAL, 2)));
    assertTrue(succeeds(s, Compare.number("k", CREATE, EQUAL, 2)));
    assertTrue(succeeds(s, Compare.number("k", MOD, GREATER, 2)));
    assertTrue(succeeds(s, Compare.number("k", MOD, LESS, 4)));
    assertTrue(succeeds(s, Compare.number("k", LEASE, EQUAL, 9)));
    assertFalse(succeeds(s, Compare.number("k", LEASE, NOT_EQUAL, 9)));
    assertTrue(succeeds(s, Compare.number("missing", VERSION, EQUAL, 0)), "missing compares as 0");
    assertTrue(succeeds(s, Compare.number("missing", CREATE, EQUAL, 0)));
    assertFalse(
        succeeds(s, Compare.value("missing", NOT_EQUAL, "x")),
        "a VALUE compare on a missing key always fails");
    assertEquals(3, s.store.currentRevision(), "read-only txns do not bump the revision");
  }

  @OnBothStores
  void comparesOverARangeMustHoldForEveryKey(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("r/1", "a");
    s.put("r/2", "a");
    byte[] p = Bytes.of("r/");
    Compare allA =
        new Compare(EQUAL, Compare.CompareTarget.VALUE, p, Bytes.prefixEnd(p), 0, Bytes.of("a"));
    assertTrue(succeeds(s, allA));
    s.put("r/3", "b");
    assertFalse(succeeds(s, allA));
    Compare modBelow = new Compare(LESS, MOD, p, Bytes.prefixEnd(p), 4, null);
    assertFalse(succeeds(s, modBelow));
    Compare noneInEmpty = new Compare(EQUAL, VERSION, Bytes.of("x/"), Bytes.of("x0"), 0, null);
    assertTrue(succeeds(s, noneInEmpty), "an empty range compares as a zero key");
  }

  @OnBothStores
  void oneRevisionForAllWritesAndResponseNesting(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("a", "0"); // rev 2
    TxnResponse r =
        (TxnResponse)
            s.ok(
                txn(
                    List.of(Compare.number("a", VERSION, EQUAL, 1)),
                    List.of(
                        RangeRequest.of("b"),
                        PutRequest.of("b", "1"),
                        PutRequest.of("c", "1"),
                        RangeRequest.of("b"),
                        DeleteRangeRequest.of("a"),
                        txn(List.of(), List.of(RangeRequest.of("a")), List.of())),
                    List.of()));
    assertTrue(r.succeeded());
    assertEquals(3, r.header().revision());
    List<ResponseOp> ops = r.responses();
    assertEquals(2, ((RangeResponse) ops.get(0)).header().revision(), "before any write");
    assertTrue(((RangeResponse) ops.get(0)).kvs().isEmpty());
    assertEquals(3, ((PutResponse) ops.get(1)).header().revision());
    assertEquals(3, ((PutResponse) ops.get(2)).header().revision());
    RangeResponse seen = (RangeResponse) ops.get(3);
    assertEquals(1, seen.kvs().size(), "a txn reads its own writes");
    assertEquals(3, seen.header().revision());
    assertEquals(1, ((DeleteRangeResponse) ops.get(4)).deleted());
    TxnResponse nested = (TxnResponse) ops.get(5);
    assertEquals(0, nested.header().revision(), "nested txn headers are empty, as in etcd");
    assertTrue(nested.succeeded());
    assertTrue(((RangeResponse) nested.responses().get(0)).kvs().isEmpty());
    assertEquals(3, s.store.currentRevision());
    KeyValue b = s.get(RangeRequest.of("b")).kvs().get(0);
    KeyValue c = s.get(RangeRequest.of("c")).kvs().get(0);
    assertEquals(b.modRevision(), c.modRevision());
  }

  @OnBothStores
  void failureBranchAndNestedComparesSeeTheStateBeforeTheTxn(StoreKind kind) {
    TestStore s = new TestStore(kind);
    TxnResponse r =
        (TxnResponse)
            s.ok(
                txn(
                    List.of(Compare.number("a", VERSION, GREATER, 0)),
                    List.of(PutRequest.of("then", "x")),
                    List.of(
                        PutRequest.of("a", "1"),
                        txn(
                            List.of(Compare.number("a", VERSION, EQUAL, 0)),
                            List.of(PutRequest.of("nested", "ok")),
                            List.of()))));
    assertFalse(r.succeeded());
    TxnResponse nested = (TxnResponse) r.responses().get(1);
    assertTrue(nested.succeeded(), "nested compares are evaluated before the txn runs");
    assertEquals("ok", s.value("nested"));
    assertNull(s.value("then"));
  }

  @OnBothStores
  void applyTimeErrorsFailTheWholeTxn(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("a", "1");
    KvException e =
        s.err(
            txn(
                List.of(),
                List.of(PutRequest.of("b", "1"), PutRequest.of("c", "1").withLease(42)),
                List.of()));
    assertEquals("etcdserver: requested lease not found", e.getMessage());
    assertNull(s.value("b"));
    KvException f =
        s.err(txn(List.of(), List.of(RangeRequest.of("a").withRevision(99)), List.of()));
    assertEquals("etcdserver: mvcc: required revision is a future revision", f.getMessage());
    KvException k =
        s.err(
            txn(
                List.of(),
                List.of(new PutRequest(Bytes.of("zz"), null, 0, false, true, false)),
                List.of()));
    assertEquals("etcdserver: key not found", k.getMessage());
    s.ok(
        txn(
            List.of(Compare.number("a", VERSION, EQUAL, 99)),
            List.of(PutRequest.of("c", "1").withLease(42)),
            List.of(PutRequest.of("c", "ok"))));
    assertEquals("ok", s.value("c"), "only the branch taken is checked");
    assertEquals(3, s.store.currentRevision());
  }
}
