package io.kvorum.kv.core;

/** etcdserverpb.DeleteRangeRequest; range_end as in {@link RangeRequest}. */
public record DeleteRangeRequest(byte[] key, byte[] rangeEnd, boolean prevKv)
    implements KvRequest, RequestOp {
  public DeleteRangeRequest {
    key = key == null ? Bytes.EMPTY : key;
    rangeEnd = rangeEnd == null ? Bytes.EMPTY : rangeEnd;
  }

  public static DeleteRangeRequest of(String key) {
    return new DeleteRangeRequest(Bytes.of(key), null, false);
  }

  public static DeleteRangeRequest prefix(String prefix) {
    byte[] p = Bytes.of(prefix);
    return new DeleteRangeRequest(p, Bytes.prefixEnd(p), false);
  }
}
