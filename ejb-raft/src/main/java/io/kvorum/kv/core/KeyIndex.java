package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The in-memory key index (etcd's treeIndex): key → {@link KeyHistory}, ordered as etcd orders keys
 * (unsigned bytes). Rebuilt from the backend when a store opens.
 */
final class KeyIndex {
  private final TreeMap<byte[], KeyHistory> keys = new TreeMap<>(Bytes::compare);

  KeyHistory get(byte[] key) {
    return keys.get(key);
  }

  KeyHistory getOrCreate(byte[] key) {
    return keys.computeIfAbsent(key, KeyHistory::new);
  }

  void clear() {
    keys.clear();
  }

  void remove(byte[] key) {
    keys.remove(key);
  }

  Collection<KeyHistory> all() {
    return keys.values();
  }

  int keyCount() {
    return keys.size();
  }

  /**
   * The histories of keys in [key, end): {@code end} null means the single key, empty means every
   * key &gt;= key.
   */
  Collection<KeyHistory> range(byte[] key, byte[] end) {
    if (end == null) {
      KeyHistory h = keys.get(key);
      return h == null ? List.of() : List.of(h);
    }
    if (end.length == 0) {
      return keys.tailMap(key, true).values();
    }
    if (Bytes.compare(key, end) >= 0) {
      return List.of();
    }
    NavigableMap<byte[], KeyHistory> sub = keys.subMap(key, true, end, false);
    return sub.values();
  }

  /** The live revisions at {@code rev} of keys in the range, in key order. */
  List<Revision> revisions(byte[] key, byte[] end, long rev) {
    List<Revision> out = new ArrayList<>();
    for (KeyHistory h : range(key, end)) {
      Revision r = h.liveAt(rev);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** The number of live keys at {@code rev} in the range. */
  long count(byte[] key, byte[] end, long rev) {
    long c = 0;
    for (KeyHistory h : range(key, end)) {
      if (h.liveAt(rev) != null) {
        c++;
      }
    }
    return c;
  }

  /**
   * Normalises an etcd range_end: empty (unset) → null (one key); {@code "\0"} → empty (no upper
   * bound); otherwise itself.
   */
  static byte[] end(byte[] rangeEnd) {
    if (rangeEnd == null || rangeEnd.length == 0) {
      return null;
    }
    if (rangeEnd.length == 1 && rangeEnd[0] == 0) {
      return Bytes.EMPTY;
    }
    return rangeEnd;
  }
}
