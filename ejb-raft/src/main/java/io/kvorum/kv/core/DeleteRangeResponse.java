package io.kvorum.kv.core;

import java.util.List;

/** etcdserverpb.DeleteRangeResponse. */
public record DeleteRangeResponse(ResponseHeader header, long deleted, List<KeyValue> prevKvs)
    implements KvResponse, ResponseOp {
  public DeleteRangeResponse {
    prevKvs = List.copyOf(prevKvs);
  }
}
