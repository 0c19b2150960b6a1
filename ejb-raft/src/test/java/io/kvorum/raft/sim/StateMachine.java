package io.kvorum.raft.sim;

import io.kvorum.raft.core.Entry;
import java.nio.ByteBuffer;

/**
 * The simulated application: it folds applied entries into a hash chain, so two nodes that applied
 * different entries at any index end with different hashes. Its snapshot is (index, hash) plus
 * filler, so snapshots span several chunks.
 */
final class StateMachine {
  long appliedIndex;
  long hash;

  static long entryHash(Entry e) {
    long h = e.term() * 0x9E3779B97F4A7C15L + e.type().ordinal();
    for (byte b : e.data()) {
      h = h * 31 + b;
    }
    return h;
  }

  static long chain(long prev, Entry e) {
    long h = prev ^ entryHash(e);
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33) ^ e.index();
  }

  void apply(Entry e) {
    if (e.index() != appliedIndex + 1) {
      throw new AssertionError(
          "applied " + e.index() + " after " + appliedIndex + ": gap or repeat");
    }
    hash = chain(hash, e);
    appliedIndex = e.index();
  }

  byte[] snapshot(int filler) {
    ByteBuffer b = ByteBuffer.allocate(16 + filler);
    b.putLong(appliedIndex).putLong(hash);
    for (int i = 0; i < filler; i++) {
      b.put((byte) (appliedIndex + i));
    }
    return b.array();
  }

  void restore(byte[] data) {
    if (data.length == 0) {
      appliedIndex = 0;
      hash = 0;
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    appliedIndex = b.getLong();
    hash = b.getLong();
  }
}
