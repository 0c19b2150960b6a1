package io.kvorum.api.grpc;

import io.kvorum.api.pb.etcdserverpb.ResponseHeader;
import io.kvorum.kv.core.Compare;
import io.kvorum.kv.core.DeleteRangeResponse;
import io.kvorum.kv.core.PutResponse;
import io.kvorum.kv.core.RangeResponse;
import io.kvorum.kv.core.RequestOp;
import io.kvorum.kv.core.ResponseOp;
import io.kvorum.kv.core.TxnRequest;
import io.kvorum.kv.core.TxnResponse;
import java.util.List;

/** etcd's TxnRequest and TxnResponse to the MVCC core's and back, nested txns included. */
final class TxnMapping {
  private TxnMapping() {}

  static TxnRequest txn(io.kvorum.api.pb.etcdserverpb.TxnRequest t) {
    return new TxnRequest(
        t.getCompareList().stream().map(TxnMapping::compare).toList(),
        ops(t.getSuccessList()),
        ops(t.getFailureList()));
  }

  /**
   * A compare reads the target_union member that matches its target; any other member counts as 0
   * (or an empty value), as etcd's compareKV does.
   */
  static Compare compare(io.kvorum.api.pb.etcdserverpb.Compare c) {
    Compare.CompareTarget target = Compare.CompareTarget.values()[c.getTargetValue()];
    long number =
        switch (target) {
          case VERSION -> c.hasVersion() ? c.getVersion() : 0;
          case CREATE -> c.hasCreateRevision() ? c.getCreateRevision() : 0;
          case MOD -> c.hasModRevision() ? c.getModRevision() : 0;
          case LEASE -> c.hasLease() ? c.getLease() : 0;
          case VALUE -> 0;
        };
    byte[] value =
        target == Compare.CompareTarget.VALUE && c.hasValue() ? c.getValue().toByteArray() : null;
    return new Compare(
        Compare.CompareResult.values()[c.getResultValue()],
        target,
        c.getKey().toByteArray(),
        c.getRangeEnd().toByteArray(),
        number,
        value);
  }

  private static List<RequestOp> ops(List<io.kvorum.api.pb.etcdserverpb.RequestOp> ops) {
    return ops.stream().map(TxnMapping::op).toList();
  }

  private static RequestOp op(io.kvorum.api.pb.etcdserverpb.RequestOp op) {
    return switch (op.getRequestCase()) {
      case REQUEST_RANGE -> ProtoMapping.range(op.getRequestRange());
      case REQUEST_PUT -> ProtoMapping.put(op.getRequestPut());
      case REQUEST_DELETE_RANGE -> ProtoMapping.deleteRange(op.getRequestDeleteRange());
      case REQUEST_TXN -> txn(op.getRequestTxn());
        // etcd applies an op with no request as a no-op answered by an empty ResponseOp; the
        // core has no such op, so Kvorum refuses it (no etcd client sends one)
      case REQUEST_NOT_SET ->
          throw io.grpc.Status.INVALID_ARGUMENT
              .withDescription("kvorum: txn op without a request is not supported")
              .asRuntimeException();
    };
  }

  static io.kvorum.api.pb.etcdserverpb.TxnResponse txn(TxnResponse r, ResponseHeader h) {
    var b =
        io.kvorum.api.pb.etcdserverpb.TxnResponse.newBuilder()
            .setHeader(h)
            .setSucceeded(r.succeeded());
    for (ResponseOp op : r.responses()) {
      b.addResponses(response(op));
    }
    return b.build();
  }

  /** A nested response's header carries the revision only, as etcd's. */
  private static io.kvorum.api.pb.etcdserverpb.ResponseOp response(ResponseOp op) {
    var b = io.kvorum.api.pb.etcdserverpb.ResponseOp.newBuilder();
    if (op instanceof RangeResponse r) {
      b.setResponseRange(ProtoMapping.range(r, revisionOnly(r.header())));
    } else if (op instanceof PutResponse p) {
      b.setResponsePut(ProtoMapping.put(p, revisionOnly(p.header())));
    } else if (op instanceof DeleteRangeResponse d) {
      b.setResponseDeleteRange(ProtoMapping.deleteRange(d, revisionOnly(d.header())));
    } else if (op instanceof TxnResponse t) {
      b.setResponseTxn(txn(t, revisionOnly(t.header())));
    }
    return b.build();
  }

  private static ResponseHeader revisionOnly(io.kvorum.kv.core.ResponseHeader h) {
    return ResponseHeader.newBuilder().setRevision(h.revision()).build();
  }
}
