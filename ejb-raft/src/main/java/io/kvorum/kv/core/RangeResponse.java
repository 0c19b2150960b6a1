package io.kvorum.kv.core;

import java.util.List;

/** etcdserverpb.RangeResponse: {@code count} is the number of keys in the range before limit. */
public record RangeResponse(ResponseHeader header, List<KeyValue> kvs, boolean more, long count)
    implements KvResponse, ResponseOp {
  public RangeResponse {
    kvs = List.copyOf(kvs);
  }
}
