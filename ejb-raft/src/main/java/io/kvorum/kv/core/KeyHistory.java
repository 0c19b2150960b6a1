package io.kvorum.kv.core;

import java.util.Arrays;
import java.util.List;

/**
 * The revisions of one key, oldest first (etcd's keyIndex, flattened): parallel arrays of main
 * revision, sub revision (a tombstone is stored as {@code -(sub+1)}) and stored row size. The live
 * state of the newest revision (create revision, version, lease) is kept for compares and puts.
 *
 * <p>Invariant: revisions strictly increase; {@code version == 0} iff the key is deleted or absent.
 */
final class KeyHistory {
  final byte[] key;
  private long[] mains = new long[2];
  private int[] subs = new int[2];
  private int[] sizes = new int[2];
  private int n;
  long createRevision;
  long version;
  long lease;

  KeyHistory(byte[] key) {
    this.key = key;
  }

  void append(Revision r, boolean tombstone, int size, long create, long ver, long leaseId) {
    if (n == mains.length) {
      mains = Arrays.copyOf(mains, n * 2);
      subs = Arrays.copyOf(subs, n * 2);
      sizes = Arrays.copyOf(sizes, n * 2);
    }
    mains[n] = r.main();
    subs[n] = tombstone ? -(r.sub() + 1) : r.sub();
    sizes[n] = size;
    n++;
    createRevision = tombstone ? 0 : create;
    version = tombstone ? 0 : ver;
    lease = tombstone ? 0 : leaseId;
  }

  /** True if the newest revision is a live (not deleted) value. */
  boolean live() {
    return n > 0 && subs[n - 1] >= 0;
  }

  boolean isEmpty() {
    return n == 0;
  }

  int size() {
    return n;
  }

  /** The position of the newest revision with main &lt;= rev, or -1. */
  int indexAt(long rev) {
    int lo = 0;
    int hi = n - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (mains[mid] <= rev) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The live revision visible at {@code rev}, or null if the key is absent or deleted there. */
  Revision liveAt(long rev) {
    int i = indexAt(rev);
    return i < 0 || subs[i] < 0 ? null : new Revision(mains[i], subs[i]);
  }

  Revision latest() {
    return revisionAt(n - 1);
  }

  Revision revisionAt(int i) {
    return new Revision(mains[i], subs[i] < 0 ? -subs[i] - 1 : subs[i]);
  }

  boolean tombstoneAt(int i) {
    return subs[i] < 0;
  }

  int rowSizeAt(int i) {
    return sizes[i];
  }

  /**
   * Drops every revision with main &lt;= {@code atRev} except the newest of them; that one is
   * dropped too if it is a tombstone (etcd's keyIndex.compact). Dropped revisions are added to
   * {@code removed}.
   *
   * @return the bytes freed
   */
  long compact(long atRev, List<Revision> removed) {
    int keepFrom = indexAt(atRev);
    if (keepFrom < 0) {
      return 0;
    }
    if (subs[keepFrom] < 0) {
      keepFrom++;
    }
    long freed = 0;
    for (int i = 0; i < keepFrom; i++) {
      removed.add(revisionAt(i));
      freed += sizes[i];
    }
    if (keepFrom > 0) {
      mains = Arrays.copyOfRange(mains, keepFrom, Math.max(keepFrom + 2, n));
      subs = Arrays.copyOfRange(subs, keepFrom, Math.max(keepFrom + 2, n));
      sizes = Arrays.copyOfRange(sizes, keepFrom, Math.max(keepFrom + 2, n));
      n -= keepFrom;
    }
    return freed;
  }
}
