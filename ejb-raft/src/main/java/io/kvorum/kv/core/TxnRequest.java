package io.kvorum.kv.core;

import java.util.List;

/** etcdserverpb.TxnRequest: compares are ANDed; then success, else failure ops run in order. */
public record TxnRequest(List<Compare> compare, List<RequestOp> success, List<RequestOp> failure)
    implements KvRequest, RequestOp {
  public TxnRequest {
    compare = compare == null ? List.of() : List.copyOf(compare);
    success = success == null ? List.of() : List.copyOf(success);
    failure = failure == null ? List.of() : List.copyOf(failure);
  }
}
