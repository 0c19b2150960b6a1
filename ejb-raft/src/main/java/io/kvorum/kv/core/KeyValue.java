package io.kvorum.kv.core;

import java.util.Arrays;

/**
 * mvccpb.KeyValue: one revision of a key. {@code version} is 1 on create and +1 per put; {@code
 * createRevision} is the revision of the last (re)creation, {@code modRevision} of the last write.
 * Arrays are never mutated after construction.
 */
public record KeyValue(
    byte[] key, long createRevision, long modRevision, long version, byte[] value, long lease) {
  static final byte[] EMPTY = new byte[0];

  public KeyValue {
    key = key == null ? EMPTY : key;
    value = value == null ? EMPTY : value;
  }

  /** The kv of a DELETE event: the key and mod_revision only, as etcd sends it. */
  public static KeyValue tombstone(byte[] key, long modRevision) {
    return new KeyValue(key, 0, modRevision, 0, EMPTY, 0);
  }

  KeyValue withoutValue() {
    return new KeyValue(key, createRevision, modRevision, version, EMPTY, lease);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue k
        && Arrays.equals(key, k.key)
        && createRevision == k.createRevision
        && modRevision == k.modRevision
        && version == k.version
        && Arrays.equals(value, k.value)
        && lease == k.lease;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key) * 31 + Long.hashCode(modRevision);
  }

  @Override
  public String toString() {
    return "KeyValue[key="
        + Bytes.show(key)
        + ", create="
        + createRevision
        + ", mod="
        + modRevision
        + ", version="
        + version
        + ", value="
        + Bytes.show(value)
        + ", lease="
        + lease
        + "]";
  }
}
