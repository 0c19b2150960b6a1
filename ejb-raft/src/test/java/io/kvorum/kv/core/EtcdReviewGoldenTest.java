package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * Cases found when reviewing the core against a real etcd 3.4.23 (single member, JSON gateway via
 * curl and etcdctl, 2026-11-25). Each expectation is what etcd answered, quoted in the comments.
 */
class EtcdReviewGoldenTest {
  private final RequestValidator validator = new RequestValidator(KvConfig.defaults());

  private Object call(TestStore s, KvRequest r) {
    try {
      validator.validate(r);
    } catch (KvException e) {
      return e;
    }
    ApplyResult a = s.apply(r);
    return a.error() != null ? a.error() : a.response();
  }

  /**
   * etcd's txn path runs checkPut, which looks for the key before the lease; a plain Put looks up
   * the lease first. etcd: txn → {"error":"etcdserver: key not found","code":3}; put → {"error":
   * "etcdserver: requested lease not found","code":5}.
   */
  @OnBothStores
  void ignoreValuePutOfAMissingKeyWithAnUnknownLease(StoreKind kind) {
    TestStore s = new TestStore(kind);
    PutRequest p = new PutRequest(Bytes.of("nokey"), null, 999, false, true, false);
    KvException inTxn = (KvException) call(s, new TxnRequest(null, List.of(p), null));
    assertEquals("etcdserver: key not found", inTxn.getMessage());
    assertEquals(KvException.Code.INVALID_ARGUMENT, inTxn.code());
    KvException plain = (KvException) call(s, p);
    assertEquals("etcdserver: requested lease not found", plain.getMessage());
    assertEquals(KvException.Code.NOT_FOUND, plain.code());
  }

  /**
   * A limit of Long.MAX_VALUE returns every key: etcd's limit + 1 overflows to a negative limit,
   * which means "no limit". etcd: range [a, z) limit 9223372036854775807 → "kvs":[{"key":"foo",…}],
   * "count":"1", no "more".
   */
  @OnBothStores
  void rangeWithTheLargestLimitReturnsEverything(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("b", "1");
    s.put("foo", "bar");
    RangeResponse r =
        (RangeResponse)
            call(s, RangeRequest.of(Bytes.of("a"), Bytes.of("z")).withLimit(Long.MAX_VALUE));
    assertEquals(List.of("b", "foo"), TestStore.keys(r));
    assertEquals(2, r.count());
    assertFalse(r.more());
  }

  /**
   * A refused watch create answers watch_id -1 and does not use up an id. etcd, one stream: create
   * [b, a) → {"watch_id":"-1","created":true,"canceled":true,"cancel_reason":"mvcc: watcher range
   * is empty"}; create c → {"created":true} (watch_id 0); create id 5 twice → the second is
   * {"watch_id":"-1","created":true,"canceled":true,"cancel_reason":"mvcc: duplicate watch ID
   * provided on the WatchStream"}.
   */
  @OnBothStores
  void refusedWatchCreatesAnswerWatchIdMinusOne(StoreKind kind) {
    TestStore s = new TestStore(kind);
    WatchStream w = s.store.watches().openStream(null);
    assertEquals(-1, w.create(WatchCreateRequest.of(Bytes.of("b"), Bytes.of("a"), 0)));
    assertEquals(0, w.create(WatchCreateRequest.of(Bytes.of("c"), null, 0)));
    WatchCreateRequest five =
        new WatchCreateRequest(Bytes.of("d"), null, 0, false, null, false, 5, false);
    assertEquals(5, w.create(five));
    assertEquals(-1, w.create(five));
    List<WatchResponse> rs = w.poll(10);
    assertEquals(4, rs.size());
    assertRefused(rs.get(0), "mvcc: watcher range is empty");
    assertEquals(0, rs.get(1).watchId());
    assertFalse(rs.get(1).canceled());
    assertEquals(5, rs.get(2).watchId());
    assertRefused(rs.get(3), "mvcc: duplicate watch ID provided on the WatchStream");
  }

  private static void assertRefused(WatchResponse r, String reason) {
    assertEquals(-1, r.watchId());
    assertTrue(r.created());
    assertTrue(r.canceled());
    assertEquals(reason, r.cancelReason());
  }

  /**
   * The response canceling a watch that starts below the compaction has no header revision. etcd
   * (w1 put at 4, 5, 6; compaction 5; watch w1 from 2) → {"result":{"header":{"cluster_id":…,
   * "member_id":…,"raft_term":"2"},"canceled":true,"compact_revision":"5"}}; from 5 → one response,
   * header revision 6, events at 5 and 6.
   */
  @OnBothStores
  void compactedWatchCancelHasNoHeaderRevision(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("foo", "bar"); // 2
    s.put("k", "1"); // 3
    s.put("w1", "a"); // 4
    s.put("w1", "b"); // 5
    s.put("w1", "c"); // 6
    s.ok(new CompactionRequest(5, false));
    WatchStream w = s.store.watches().openStream(null);
    w.create(WatchCreateRequest.of(Bytes.of("w1"), null, 2));
    List<WatchResponse> rs = w.poll(10);
    assertEquals(6, rs.get(0).header().revision());
    WatchResponse cancel = rs.get(1);
    assertTrue(cancel.canceled());
    assertEquals(5, cancel.compactRevision());
    assertEquals(0, cancel.header().revision());
    w.create(WatchCreateRequest.of(Bytes.of("w1"), null, 5));
    WatchResponse replay = w.poll(10).get(1);
    assertEquals(6, replay.header().revision());
    assertEquals(List.of(5L, 6L), replay.events().stream().map(e -> e.kv().modRevision()).toList());
  }

  /**
   * A store never compacted has compact revision -1 (etcd's compactMainRev), so Compact(0) succeeds
   * once. etcd, fresh member: endpoint hashkv → "compact_revision":-1; compaction 0 → {"header":
   * {"revision":"1"}}; hashkv → no compact_revision (0); compaction 0 again → "etcdserver: mvcc:
   * required revision has been compacted" (code 11); compaction 1 → OK; compaction -4 → compacted.
   */
  @OnBothStores
  void neverCompactedStoreHasCompactRevisionMinusOne(StoreKind kind) {
    TestStore s = new TestStore(kind);
    assertEquals(-1, s.store.hashKv(0).compactRevision());
    assertEquals(1, ((KvResponse) call(s, new CompactionRequest(0, false))).header().revision());
    assertEquals(0, s.store.hashKv(0).compactRevision());
    s.reopen();
    assertEquals(0, s.store.compactRevision());
    KvException again = (KvException) call(s, new CompactionRequest(0, false));
    assertEquals("etcdserver: mvcc: required revision has been compacted", again.getMessage());
    assertEquals(KvException.Code.OUT_OF_RANGE, again.code());
    assertEquals(1, ((KvResponse) call(s, new CompactionRequest(1, false))).header().revision());
    TestStore fresh = new TestStore(kind);
    assertEquals(-1, fresh.store.compactRevision());
    KvException negative = (KvException) call(fresh, new CompactionRequest(-4, false));
    assertEquals("etcdserver: mvcc: required revision has been compacted", negative.getMessage());
  }

  /**
   * Only start_revision 0 means "now"; a negative start falls below the compaction. etcd, fresh
   * member, watch x from -3 → {"created":true}, then {"header":{no revision},"canceled":true,
   * "compact_revision":"-1"}; after compaction 0 → {"created":true}, then {"header":{no revision}}
   * (watch_id 0, not canceled) and nothing more, even after put x.
   */
  @OnBothStores
  void negativeWatchStartRevision(StoreKind kind) {
    TestStore s = new TestStore(kind);
    WatchStream w = s.store.watches().openStream(null);
    w.create(WatchCreateRequest.of(Bytes.of("x"), null, -3));
    List<WatchResponse> rs = w.poll(10);
    assertEquals(2, rs.size());
    assertTrue(rs.get(1).canceled());
    assertEquals(-1, rs.get(1).compactRevision());
    assertEquals(0, rs.get(1).header().revision());
    s.ok(new CompactionRequest(0, false));
    long id = w.create(WatchCreateRequest.of(Bytes.of("x"), null, -3));
    rs = w.poll(10);
    assertEquals(2, rs.size());
    WatchResponse dropped = rs.get(1);
    assertEquals(id, dropped.watchId());
    assertFalse(dropped.canceled());
    assertEquals(0, dropped.compactRevision());
    assertTrue(dropped.events().isEmpty());
    s.put("x", "1");
    assertTrue(w.poll(10).isEmpty());
  }

  /**
   * A nested txn may use only what its parent leaves of max-txn-ops (128). etcd: 99 ranges plus a
   * nested txn of 28 ranges → OK; of 29 → {"error":"etcdserver: too many operations in txn
   * request","code":3}; 1 nested txn of 127 → OK, of 128 → too many; 2 ops of which a nested txn of
   * 127 → too many.
   */
  @OnBothStores
  void nestedTxnOpsCountAgainstTheParentsLimit(StoreKind kind) {
    TestStore s = new TestStore(kind);
    assertTrue(call(s, parentWithNested(100, 28)) instanceof TxnResponse);
    assertTooManyOps(call(s, parentWithNested(100, 29)));
    assertTrue(call(s, parentWithNested(1, 127)) instanceof TxnResponse);
    assertTooManyOps(call(s, parentWithNested(1, 128)));
    assertTooManyOps(call(s, parentWithNested(2, 127)));
  }

  /** A txn of {@code parentOps} ops: ranges, then a nested txn of {@code nestedOps} ranges. */
  private static TxnRequest parentWithNested(int parentOps, int nestedOps) {
    List<RequestOp> nested = new ArrayList<>();
    for (int i = 0; i < nestedOps; i++) {
      nested.add(RangeRequest.of("n" + i));
    }
    List<RequestOp> ops = new ArrayList<>();
    for (int i = 0; i < parentOps - 1; i++) {
      ops.add(RangeRequest.of("r" + i));
    }
    ops.add(new TxnRequest(null, nested, null));
    return new TxnRequest(null, ops, null);
  }

  private static void assertTooManyOps(Object o) {
    KvException e = (KvException) o;
    assertEquals("etcdserver: too many operations in txn request", e.getMessage());
    assertEquals(KvException.Code.INVALID_ARGUMENT, e.code());
  }

  /**
   * Alarm ACTIVATE answers the alarm even when it is already raised, and NONE is stored like any
   * other. etcd: ACTIVATE 42 NOSPACE twice → {"alarms":[{"memberID":"42","alarm":"NOSPACE"}]} both
   * times; ACTIVATE 42 NONE → {"alarms":[{"memberID":"42"}]}; GET NONE → both; DEACTIVATE 42
   * NOSPACE → the alarm, then {} the second time.
   */
  @OnBothStores
  void alarmActivateAnswersTheAlarmEvenIfAlreadyRaised(StoreKind kind) {
    TestStore s = new TestStore(kind);
    AlarmResponse.AlarmMember noSpace =
        new AlarmResponse.AlarmMember(42, AlarmRequest.AlarmType.NOSPACE);
    AlarmResponse.AlarmMember none = new AlarmResponse.AlarmMember(42, AlarmRequest.AlarmType.NONE);
    for (int i = 0; i < 2; i++) {
      assertEquals(List.of(noSpace), alarm(s, AlarmRequest.AlarmAction.ACTIVATE, noSpace));
    }
    assertEquals(List.of(none), alarm(s, AlarmRequest.AlarmAction.ACTIVATE, none));
    AlarmResponse.AlarmMember any = new AlarmResponse.AlarmMember(0, AlarmRequest.AlarmType.NONE);
    assertEquals(List.of(noSpace, none), alarm(s, AlarmRequest.AlarmAction.GET, any));
    assertEquals(List.of(noSpace), alarm(s, AlarmRequest.AlarmAction.DEACTIVATE, noSpace));
    assertEquals(List.of(), alarm(s, AlarmRequest.AlarmAction.DEACTIVATE, noSpace));
  }

  private List<AlarmResponse.AlarmMember> alarm(
      TestStore s, AlarmRequest.AlarmAction action, AlarmResponse.AlarmMember m) {
    return ((AlarmResponse) call(s, new AlarmRequest(action, m.memberId(), m.alarm()))).alarms();
  }

  /**
   * HashKV refuses the compact revision itself, which Range serves. etcd (compacted at 5, current
   * 33): endpoint hashkv --rev 5 → "etcdserver: mvcc: required revision has been compacted"; --rev
   * 6 → OK, "compact_revision":5; --rev 4 → compacted; --rev 999 → "…required revision is a future
   * revision"; get w1 --rev 5 → the value.
   */
  @OnBothStores
  void hashKvAtTheCompactRevisionIsCompacted(StoreKind kind) {
    TestStore s = new TestStore(kind);
    for (int i = 0; i < 5; i++) {
      s.put("w1", "v" + i); // 2..6
    }
    s.ok(new CompactionRequest(5, false));
    KvException at = assertThrows(KvException.class, () -> s.store.hashKv(5));
    assertEquals("etcdserver: mvcc: required revision has been compacted", at.getMessage());
    assertEquals(5, s.store.hashKv(6).compactRevision());
    assertThrows(KvException.class, () -> s.store.hashKv(4));
    KvException future = assertThrows(KvException.class, () -> s.store.hashKv(999));
    assertEquals("etcdserver: mvcc: required revision is a future revision", future.getMessage());
    assertEquals(1, s.get(RangeRequest.of("w1").withRevision(5)).count());
  }

  /**
   * The duplicate-key rule depends on the shape: a put in an earlier nested txn and a delete of the
   * same key in a later sibling txn pass (one revision: put, then delete); the reverse order, a put
   * and a delete at one level, or a nested put next to a delete of its parent fail. etcd: [txn{put
   * k}, txn{delete k prev_kv}] → revision 3, "deleted":"1", prev_kvs create 3 mod 3, k absent;
   * [txn{delete k}, txn{put k}] and [txn{put dd}, delete dd] → "duplicate key given in txn
   * request"; [delete dd, delete dd] and txn{then put dd, else delete dd} → OK.
   */
  @OnBothStores
  void putThenDeleteInSiblingTxnsIsTheOnlyAcceptedOverlap(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("foo", "bar"); // 2
    TxnRequest putK = new TxnRequest(null, List.of(PutRequest.of("k", "1")), null);
    TxnRequest delK =
        new TxnRequest(null, List.of(new DeleteRangeRequest(Bytes.of("k"), null, true)), null);
    TxnResponse ok = (TxnResponse) call(s, new TxnRequest(null, List.of(putK, delK), null));
    assertEquals(3, ok.header().revision());
    DeleteRangeResponse d =
        (DeleteRangeResponse) ((TxnResponse) ok.responses().get(1)).responses().get(0);
    assertEquals(1, d.deleted());
    assertEquals(3, d.header().revision());
    TestStore.assertKv(d.prevKvs().get(0), "k", 3, 3, 1, "1");
    assertEquals(0, s.get(RangeRequest.of("k")).count());
    assertDuplicate(call(s, new TxnRequest(null, List.of(delK, putK), null)));
    assertDuplicate(call(s, new TxnRequest(null, List.of(putK, DeleteRangeRequest.of("k")), null)));
    assertTrue(
        call(
                s,
                new TxnRequest(
                    null, List.of(DeleteRangeRequest.of("k"), DeleteRangeRequest.of("k")), null))
            instanceof TxnResponse);
    assertTrue(
        call(
                s,
                new TxnRequest(
                    null,
                    List.of(
                        new TxnRequest(
                            null,
                            List.of(PutRequest.of("k", "2")),
                            List.of(DeleteRangeRequest.of("k")))),
                    null))
            instanceof TxnResponse);
  }

  private static void assertDuplicate(Object o) {
    assertEquals("etcdserver: duplicate key given in txn request", ((KvException) o).getMessage());
  }

  /**
   * A synced watcher gets one response per revision, with that revision in the header; a watcher
   * catching up gets one response up to the current revision. etcd, watch [pr, ps) from now, then
   * txn put pr1, put pr2, put pr3 → three responses, header revisions 36, 37, 38, one event each;
   * watch w1 from 5 (current 6) → one response, header 6, events at 5 and 6.
   */
  @OnBothStores
  void syncedWatchersGetOneResponsePerRevision(StoreKind kind) {
    TestStore s = new TestStore(kind);
    WatchStream w = s.store.watches().openStream(null);
    long live = w.create(WatchCreateRequest.of(Bytes.of("pr"), Bytes.of("ps"), 0));
    w.poll(10);
    s.ok(new TxnRequest(null, List.of(PutRequest.of("pr1", "x")), null)); // 2
    s.put("pr2", "y"); // 3
    s.put("pr3", "y"); // 4
    List<WatchResponse> rs = w.poll(10);
    assertEquals(List.of(2L, 3L, 4L), rs.stream().map(r -> r.header().revision()).toList());
    assertTrue(rs.stream().allMatch(r -> r.watchId() == live && r.events().size() == 1));
    long behind = w.create(WatchCreateRequest.of(Bytes.of("pr"), Bytes.of("ps"), 2));
    List<WatchResponse> replay = w.poll(10);
    assertEquals(2, replay.size());
    assertEquals(behind, replay.get(1).watchId());
    assertEquals(4, replay.get(1).header().revision());
    assertEquals(3, replay.get(1).events().size());
  }
}
