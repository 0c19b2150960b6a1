package io.kvorum.raft.jpa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.EntryType;
import io.kvorum.raft.core.HardState;
import io.kvorum.raft.core.LogStorage;
import io.kvorum.raft.core.SnapshotChunk;
import io.kvorum.raft.core.SnapshotMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Applies one seeded random sequence of driver writes (appends that overwrite suffixes, hard
 * states, snapshots received in chunks with restarted receptions, snapshots taken locally,
 * restarts) to MemoryLogStorage and JpaLogStorage, and after every step compares everything both
 * answer. The JPA side has a tiny entry cache and small snapshot rows, so its database paths run.
 */
class LogStorageEquivalenceTest {
  static final int STEPS = 250;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void randomWritesReadTheSameOnBothStorages(long seed) {
    JpaLogStorage.Options small =
        JpaLogStorage.Options.defaults().withEntryCacheBytes(300).withSnapshotChunkBytes(700);
    try (LogUnderTest mem = new LogUnderTest.Memory();
        LogUnderTest jpa = new LogUnderTest.Jpa(dir, small)) {
      Writer w = new Writer(new Random(seed), mem, jpa);
      for (int step = 0; step < STEPS; step++) {
        String what = w.step();
        String ctx = "seed " + seed + " step " + step + " (" + what + ")";
        assertEquals(
            LogStorageBehaviourTest.Snapshot.of(mem.storage()),
            LogStorageBehaviourTest.Snapshot.of(jpa.storage()),
            ctx);
        w.compareRandomReads(ctx);
      }
    }
  }

  /** Generates writes a Raft driver could issue and applies each to both logs. */
  private static final class Writer {
    private final Random r;
    private final LogUnderTest a;
    private final LogUnderTest b;
    private long term = 1;
    // A snapshot being received: its metadata, data and bytes sent so far (null if none).
    private SnapshotMetadata receiving;
    private byte[] receivingData;
    private int sent;

    Writer(Random r, LogUnderTest a, LogUnderTest b) {
      this.r = r;
      this.a = a;
      this.b = b;
    }

    private LogStorage s() {
      return a.storage();
    }

    String step() {
      int op = r.nextInt(100);
      if (op < 45) {
        return append(null, null);
      } else if (op < 55) {
        HardState hs = new HardState(term, r.nextInt(4), r.nextInt((int) s().lastIndex() + 1));
        both(List.of(), null, List.of(), hs);
        return "hard state " + hs;
      } else if (op < 65 && s().lastIndex() > s().snapshot().index()) {
        long index =
            s().snapshot().index()
                + 1
                + r.nextInt((int) (s().lastIndex() - s().snapshot().index()));
        byte[] data = bytes(r.nextInt(3000));
        ConfState cs = new ConfState(Set.of(1L, 2L, -7L), Set.of((long) r.nextInt(3) + 3));
        a.createSnapshot(index, cs, data);
        b.createSnapshot(index, cs, data);
        return "create snapshot " + index + " of " + data.length + "B";
      } else if (op < 80) {
        return receiveChunks();
      } else if (op < 85) {
        a.restart();
        b.restart();
        receiving = null;
        return "restart";
      } else {
        return append(new HardState(term, 1, Math.max(0, s().lastIndex() - 1)), null);
      }
    }

    private String append(HardState hs, List<SnapshotChunk> chunksAndInstall) {
      long snap = s().snapshot().index();
      long first = Math.max(1, snap - 2 + r.nextInt((int) (s().lastIndex() - snap) + 4));
      if (r.nextInt(4) == 0) {
        term += 1;
      }
      List<Entry> ents = entries(first, 1 + r.nextInt(8));
      both(List.of(), null, ents, hs);
      return "append " + ents.size() + " at " + first + " term " + term + " hs " + hs;
    }

    private List<Entry> entries(long first, int n) {
      List<Entry> ents = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        EntryType type = r.nextInt(10) == 0 ? EntryType.CONF_CHANGE : EntryType.NORMAL;
        ents.add(new Entry(first + i, term, type, bytes(r.nextInt(120))));
      }
      return ents;
    }

    /** Sends the next chunks of a snapshot (starting one if needed), maybe completing it. */
    private String receiveChunks() {
      if (receiving == null || r.nextInt(5) == 0) {
        byte[] data = bytes(r.nextInt(4000));
        long index = Math.max(1, s().lastIndex() - 3 + r.nextInt(14));
        receiving =
            new SnapshotMetadata(
                index, term, ConfState.ofVoters(1L, (long) r.nextInt(5) + 2), data.length);
        receivingData = data;
        sent = 0;
      }
      List<SnapshotChunk> chunks = new ArrayList<>();
      int n = 1 + r.nextInt(3);
      boolean last = false;
      for (int i = 0; i < n && !last; i++) {
        int end = Math.min(receivingData.length, sent + 1 + r.nextInt(1500));
        last = end == receivingData.length;
        chunks.add(
            new SnapshotChunk(receiving, sent, Arrays.copyOfRange(receivingData, sent, end), last));
        sent = end;
      }
      if (!last) {
        both(chunks, null, List.of(), null);
        return chunks.size() + " chunks up to " + sent;
      }
      SnapshotMetadata m = receiving;
      receiving = null;
      if (r.nextInt(5) == 0) {
        // The core found its log already covered the snapshot: nothing installed.
        both(chunks, null, List.of(), null);
        return "last chunk, not installed";
      }
      List<Entry> after = r.nextBoolean() ? entries(m.index() + 1, 1 + r.nextInt(3)) : List.of();
      both(chunks, m, after, new HardState(term, 0, m.index()));
      return "install snapshot " + m.index() + " with " + after.size() + " entries";
    }

    private void both(
        List<SnapshotChunk> chunks, SnapshotMetadata install, List<Entry> ents, HardState hs) {
      a.persist(chunks, install, ents, hs);
      b.persist(chunks, install, ents, hs);
    }

    private byte[] bytes(int n) {
      byte[] out = new byte[n];
      r.nextBytes(out);
      return out;
    }

    void compareRandomReads(String ctx) {
      LogStorage x = a.storage();
      LogStorage y = b.storage();
      for (int i = 0; i < 5 && x.lastIndex() >= x.firstIndex(); i++) {
        long lo = x.firstIndex() + r.nextInt((int) (x.lastIndex() - x.firstIndex() + 1));
        long hi = lo + 1 + r.nextInt((int) (x.lastIndex() - lo + 1));
        long max = r.nextInt(600);
        assertEquals(x.entries(lo, hi, max), y.entries(lo, hi, max), ctx + " entries");
      }
      long size = x.snapshot().size();
      for (int i = 0; i < 3 && size > 0; i++) {
        long off = r.nextLong(size);
        int max = 1 + r.nextInt(1600);
        assertArrayEquals(x.snapshotChunk(off, max), y.snapshotChunk(off, max), ctx + " data");
      }
    }
  }
}
