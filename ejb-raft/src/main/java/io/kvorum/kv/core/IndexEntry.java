package io.kvorum.kv.core;

/**
 * A stored revision without its value: what the in-memory key index is rebuilt from when a store
 * opens (see {@link KvBackend#load}).
 */
public record IndexEntry(
    byte[] key,
    Revision revision,
    boolean tombstone,
    long createRevision,
    long version,
    long lease,
    int valueSize) {
  /** Fixed per-row overhead added to key and value sizes for quota accounting. */
  static final int ROW_OVERHEAD = 64;

  static long sizeOf(int keySize, int valueSize) {
    return (long) keySize + valueSize + ROW_OVERHEAD;
  }

  long size() {
    return sizeOf(key.length, valueSize);
  }
}
