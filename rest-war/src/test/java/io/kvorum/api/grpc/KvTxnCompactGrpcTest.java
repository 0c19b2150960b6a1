package io.kvorum.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvorum.api.pb.etcdserverpb.CompactionRequest;
import io.kvorum.api.pb.etcdserverpb.Compare;
import io.kvorum.api.pb.etcdserverpb.DeleteRangeRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseGrantRequest;
import io.kvorum.api.pb.etcdserverpb.PutRequest;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import io.kvorum.api.pb.etcdserverpb.RequestOp;
import io.kvorum.api.pb.etcdserverpb.ResponseHeader;
import io.kvorum.api.pb.etcdserverpb.TxnRequest;
import io.kvorum.api.pb.etcdserverpb.TxnResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** KV.Txn and KV.Compact over real gRPC; errors as etcd 3.4.23 answers them. */
class KvTxnCompactGrpcTest {
  private OneMember m;

  @BeforeEach
  void start() throws InterruptedException {
    m = new OneMember();
  }

  @AfterEach
  void stop() throws InterruptedException {
    m.close();
  }

  static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static RequestOp put(String k, String v) {
    return RequestOp.newBuilder()
        .setRequestPut(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)))
        .build();
  }

  static RequestOp get(String k) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b(k))).build();
  }

  static void assertStatus(Status.Code code, String message, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode());
    assertEquals(message, e.getStatus().getDescription());
  }

  private long putKey(String k, String v) {
    return m.kv()
        .put(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build())
        .getHeader()
        .getRevision();
  }

  @Test
  void compareTargetsRangeEndAndNestedTxnPickTheBranch() {
    long lease = m.lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
    m.kv().put(PutRequest.newBuilder().setKey(b("a/1")).setValue(b("x")).setLease(lease).build());
    long rev = putKey("a/2", "y"); // 3
    Compare version =
        Compare.newBuilder()
            .setKey(b("a/"))
            .setRangeEnd(b("a0"))
            .setTarget(Compare.CompareTarget.VERSION)
            .setResult(Compare.CompareResult.EQUAL)
            .setVersion(1)
            .build();
    Compare leaseIs =
        Compare.newBuilder()
            .setKey(b("a/1"))
            .setTarget(Compare.CompareTarget.LEASE)
            .setLease(lease)
            .build();
    Compare modBelow =
        Compare.newBuilder()
            .setKey(b("a/2"))
            .setTarget(Compare.CompareTarget.MOD)
            .setResult(Compare.CompareResult.LESS)
            .setModRevision(rev + 1)
            .build();
    TxnRequest nested =
        TxnRequest.newBuilder()
            .addCompare(
                Compare.newBuilder()
                    .setKey(b("missing"))
                    .setTarget(Compare.CompareTarget.VALUE)
                    .setResult(Compare.CompareResult.NOT_EQUAL)
                    .setValue(b("z")))
            .addSuccess(put("never", "1"))
            .addFailure(put("nested", "1"))
            .build();
    TxnResponse r =
        m.kv()
            .txn(
                TxnRequest.newBuilder()
                    .addCompare(version)
                    .addCompare(leaseIs)
                    .addCompare(modBelow)
                    .addSuccess(put("b", "2"))
                    .addSuccess(RequestOp.newBuilder().setRequestTxn(nested))
                    .addSuccess(get("b"))
                    .addFailure(put("failed", "1"))
                    .build());

    assertTrue(r.getSucceeded());
    assertEquals(m.header(rev + 1), r.getHeader(), "one revision for the whole txn");
    assertEquals(3, r.getResponsesCount());
    ResponseHeader revisionOnly = ResponseHeader.newBuilder().setRevision(rev + 1).build();
    assertEquals(revisionOnly, r.getResponses(0).getResponsePut().getHeader());
    TxnResponse inner = r.getResponses(1).getResponseTxn();
    assertFalse(inner.getSucceeded(), "a VALUE compare on a missing key fails, even NOT_EQUAL");
    assertTrue(inner.hasHeader());
    assertEquals(
        ResponseHeader.getDefaultInstance(),
        inner.getHeader(),
        "etcd fills the revision of the top-level txn only: a nested txn's header is empty");
    assertEquals("2", r.getResponses(2).getResponseRange().getKvs(0).getValue().toStringUtf8());
    assertEquals(1, m.kv().range(RangeRequest.newBuilder().setKey(b("nested")).build()).getCount());
    assertEquals(0, m.kv().range(RangeRequest.newBuilder().setKey(b("never")).build()).getCount());

    TxnResponse failed =
        m.kv()
            .txn(
                TxnRequest.newBuilder()
                    .addCompare(version.toBuilder().setVersion(2))
                    .addSuccess(put("b", "3"))
                    .addFailure(
                        RequestOp.newBuilder()
                            .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(b("b"))))
                    .build());
    assertFalse(failed.getSucceeded());
    assertEquals(1, failed.getResponses(0).getResponseDeleteRange().getDeleted());
  }

  @Test
  void txnValidationAnswersEtcdsErrors() {
    TxnRequest.Builder tooMany = TxnRequest.newBuilder();
    for (int i = 0; i < 129; i++) {
      tooMany.addSuccess(put("k" + i, "v"));
    }
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: too many operations in txn request",
        () -> m.kv().txn(tooMany.build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: duplicate key given in txn request",
        () ->
            m.kv()
                .txn(
                    TxnRequest.newBuilder()
                        .addSuccess(put("d", "1"))
                        .addSuccess(put("d", "2"))
                        .build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: key is not provided",
        () -> m.kv().txn(TxnRequest.newBuilder().addSuccess(put("", "1")).build()));
    assertStatus(
        Status.Code.NOT_FOUND,
        "etcdserver: requested lease not found",
        () ->
            m.kv()
                .txn(
                    TxnRequest.newBuilder()
                        .addSuccess(
                            RequestOp.newBuilder()
                                .setRequestPut(
                                    PutRequest.newBuilder().setKey(b("l")).setLease(4242)))
                        .build()));
  }

  @Test
  void physicalCompactionAnswersOnceEveryCompactedRevisionIsDeleted() {
    // 24 txns rewriting 128 keys: about 3,000 rows to delete, three times the core's chunk
    for (int round = 0; round < 24; round++) {
      TxnRequest.Builder t = TxnRequest.newBuilder();
      for (int i = 0; i < 128; i++) {
        t.addSuccess(put("c" + i, "v" + round));
      }
      m.kv().txn(t.build());
    }
    long rev =
        m.kv().range(RangeRequest.newBuilder().setKey(b("c0")).build()).getHeader().getRevision();
    var res =
        m.kv().compact(CompactionRequest.newBuilder().setRevision(rev).setPhysical(true).build());
    assertEquals(m.header(rev), res.getHeader());
    assertFalse(m.server.store().compactStep(), "nothing left to delete when Compact answers");

    assertStatus(
        Status.Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision has been compacted",
        () -> m.kv().range(RangeRequest.newBuilder().setKey(b("c0")).setRevision(rev - 1).build()));
    assertEquals(
        "v23",
        m.kv()
            .range(RangeRequest.newBuilder().setKey(b("c0")).setRevision(rev).build())
            .getKvs(0)
            .getValue()
            .toStringUtf8(),
        "the compacted revision itself stays readable");
    assertStatus(
        Status.Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision has been compacted",
        () -> m.kv().compact(CompactionRequest.newBuilder().setRevision(rev).build()));
    assertStatus(
        Status.Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision is a future revision",
        () -> m.kv().compact(CompactionRequest.newBuilder().setRevision(rev + 1).build()));
  }
}
