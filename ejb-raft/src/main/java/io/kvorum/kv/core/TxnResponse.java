package io.kvorum.kv.core;

import java.util.List;

/** etcdserverpb.TxnResponse: one response per op of the branch taken, nested txns nested. */
public record TxnResponse(ResponseHeader header, boolean succeeded, List<ResponseOp> responses)
    implements KvResponse, ResponseOp {
  public TxnResponse {
    responses = List.copyOf(responses);
  }
}
