package io.kvorum.kv.core;

import java.util.List;

/**
 * One mutating request in progress (etcd's storeTxnWrite): every change uses main revision {@code
 * beginRevision + 1} and the next sub revision. Reads inside it see its own earlier changes.
 */
final class WriteTxn {
  private final MvccStore store;
  final long beginRevision;
  private int changes;

  WriteTxn(MvccStore store) {
    this.store = store;
    this.beginRevision = store.currentRevision;
  }

  /** The revision reads in this txn see, and the revision its responses report. */
  long rev() {
    return changes > 0 ? beginRevision + 1 : beginRevision;
  }

  boolean changed() {
    return changes > 0;
  }

  RangeResponse range(RangeRequest r) {
    long rev = rev();
    return store.rangeAt(r, rev, rev);
  }

  /** Puts a key; returns the stored KeyValue. */
  KeyValue put(byte[] key, byte[] value, long lease) {
    return store.writePut(key, value, lease, new Revision(beginRevision + 1, changes++));
  }

  /** Deletes the live keys in [key, end) (end as normalised by KeyIndex.end); returns the count. */
  long deleteRange(byte[] key, byte[] end) {
    List<KeyHistory> live = store.liveHistories(key, end);
    for (KeyHistory h : live) {
      store.writeDelete(h, new Revision(beginRevision + 1, changes++));
    }
    return live.size();
  }

  /** Ends the txn: the store revision moves to {@code beginRevision + 1} if anything changed. */
  void end() {
    if (changes > 0) {
      store.currentRevision = beginRevision + 1;
    }
  }
}
