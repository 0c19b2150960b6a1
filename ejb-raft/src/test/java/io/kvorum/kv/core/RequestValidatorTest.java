package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** etcd's pre-proposal checks, with the messages etcd 3.4.23 returns. */
class RequestValidatorTest {
  private final RequestValidator v = new RequestValidator(KvConfig.defaults());

  private String error(KvRequest r) {
    return assertThrows(KvException.class, () -> v.validate(r)).getMessage();
  }

  private static TxnRequest txn(List<RequestOp> then, List<RequestOp> otherwise) {
    return new TxnRequest(null, then, otherwise);
  }

  @Test
  void emptyKeysEverywhere() {
    String empty = "etcdserver: key is not provided";
    assertEquals(empty, error(RangeRequest.of("")));
    assertEquals(empty, error(PutRequest.of("", "v")));
    assertEquals(empty, error(DeleteRangeRequest.of("")));
    assertEquals(
        empty,
        error(
            new TxnRequest(
                List.of(Compare.value("", Compare.CompareResult.EQUAL, "x")), null, null)));
    assertEquals(empty, error(txn(List.of(), List.of(txn(List.of(PutRequest.of("", "")), null)))));
  }

  @Test
  void duplicateKeyRule() {
    String dup = "etcdserver: duplicate key given in txn request";
    assertEquals(dup, error(txn(List.of(PutRequest.of("a", ""), PutRequest.of("a", "")), null)));
    assertEquals(
        dup, error(txn(List.of(DeleteRangeRequest.prefix("a"), PutRequest.of("ab", "")), null)));
    assertEquals(
        dup,
        error(
            txn(
                List.of(PutRequest.of("k", ""), txn(List.of(DeleteRangeRequest.of("k")), null)),
                null)),
        "a put inside a nested txn's delete (checked against etcd 3.4.23)");
    assertEquals(
        dup,
        error(
            txn(
                List.of(PutRequest.of("k", ""), txn(List.of(PutRequest.of("k", "")), null)),
                null)));
    // allowed: the same key in then and else of one nested txn; puts in the two top branches;
    // deletes overlapping deletes; reads anywhere
    v.validate(
        txn(
            List.of(
                txn(List.of(PutRequest.of("d", "")), List.of(PutRequest.of("d", ""))),
                DeleteRangeRequest.prefix("x"),
                DeleteRangeRequest.prefix("x"),
                RangeRequest.of("d")),
            List.of(PutRequest.of("d", ""))));
  }

  @Test
  void putFlagsAndOpCountsAndLeaseTtl() {
    assertEquals(
        "etcdserver: value is provided",
        error(new PutRequest(Bytes.of("k"), Bytes.of("v"), 0, false, true, false)));
    assertEquals(
        "etcdserver: lease is provided",
        error(new PutRequest(Bytes.of("k"), null, 5, false, false, true)));
    RequestOp r = RangeRequest.of("k");
    List<RequestOp> ops129 = java.util.Collections.nCopies(129, r);
    assertEquals("etcdserver: too many operations in txn request", error(txn(ops129, null)));
    v.validate(txn(java.util.Collections.nCopies(128, r), null));
    assertEquals(
        "etcdserver: too large lease TTL", error(new LeaseGrantRequest(9_000_000_001L, 0)));
    KvException tooBig =
        assertThrows(
            KvException.class, () -> v.validate(PutRequest.of("k", "x".repeat(1536 * 1024))));
    assertEquals(KvException.Code.INVALID_ARGUMENT, tooBig.code());
  }
}
