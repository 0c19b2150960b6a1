package io.kvorum.kv.core;

/** etcdserverpb.PutRequest. */
public record PutRequest(
    byte[] key, byte[] value, long lease, boolean prevKv, boolean ignoreValue, boolean ignoreLease)
    implements KvRequest, RequestOp {
  public PutRequest {
    key = key == null ? Bytes.EMPTY : key;
    value = value == null ? Bytes.EMPTY : value;
  }

  public static PutRequest of(String key, String value) {
    return new PutRequest(Bytes.of(key), Bytes.of(value), 0, false, false, false);
  }

  public PutRequest withLease(long l) {
    return new PutRequest(key, value, l, prevKv, ignoreValue, ignoreLease);
  }

  public PutRequest withPrevKv() {
    return new PutRequest(key, value, lease, true, ignoreValue, ignoreLease);
  }
}
