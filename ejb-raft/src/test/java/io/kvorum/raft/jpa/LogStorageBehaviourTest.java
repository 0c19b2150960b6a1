package io.kvorum.raft.jpa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same behaviours, checked on MemoryLogStorage (the reference) and on JpaLogStorage. */
class LogStorageBehaviourTest {
  @TempDir Path dir;

  static Entry e(long index, long term) {
    return Entry.normal(index, term, ("e" + index + "t" + term).getBytes());
  }

  static List<Entry> run(long from, long to, long term) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(e(i, term));
    }
    return out;
  }

  static byte[] data(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + seed);
    }
    return b;
  }

  static List<SnapshotChunk> chunks(SnapshotMetadata m, byte[] data, long from, int size) {
    List<SnapshotChunk> out = new ArrayList<>();
    for (long at = from; at < data.length; at += size) {
      int end = (int) Math.min(data.length, at + size);
      out.add(
          new SnapshotChunk(m, at, Arrays.copyOfRange(data, (int) at, end), end == data.length));
    }
    return out;
  }

  private static void append(LogUnderTest l, List<Entry> ents) {
    l.persist(List.of(), null, ents, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "jpa"})
  void aFreshLogIsEmpty(String kind) {
    try (LogUnderTest l = LogUnderTest.create(kind, dir)) {
      LogStorage s = l.storage();
      assertEquals(HardState.EMPTY, s.hardState());
      assertEquals(SnapshotMetadata.EMPTY, s.snapshot());
      assertEquals(1, s.firstIndex());
      assertEquals(0, s.lastIndex());
      assertEquals(0, s.term(0));
      assertEquals(LogStorage.UNAVAILABLE, s.term(1));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "jpa"})
  void appendedEntriesAreReadBackWithTheByteLimit(String kind) {
    try (LogUnderTest l = LogUnderTest.create(kind, dir)) {
      List<Entry> ents = new ArrayList<>(run(1, 2, 1));
      ents.addAll(run(3, 4, 2));
      ents.add(new Entry(5, 3, EntryType.CONF_CHANGE, new byte[] {1, 2}));
      append(l, ents);
      LogStorage s = l.storage();
      assertEquals(5, s.lastIndex());
      assertEquals(
          List.of(1L, 1L, 2L, 2L, 3L),
          List.of(s.term(1), s.term(2), s.term(3), s.term(4), s.term(5)));
      assertEquals(LogStorage.UNAVAILABLE, s.term(6));
      assertEquals(ents, s.entries(1, 6, Long.MAX_VALUE));
      assertEquals(ents.subList(1, 3), s.entries(2, 4, Long.MAX_VALUE));
      assertEquals(List.of(ents.get(0)), s.entries(1, 6, 0), "at least one entry");
      long two = ents.get(1).sizeBytes() + ents.get(2).sizeBytes();
      assertEquals(ents.subList(1, 3), s.entries(2, 6, two));
      assertEquals(ents.subList(1, 2), s.entries(2, 6, two - 1));
      assertThrows(IllegalArgumentException.class, () -> s.entries(0, 3, 100));
      assertThrows(IllegalArgumentException.class, () -> s.entries(2, 7, 100));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "jpa"})
  void anAppendReplacesTheSuffixFromItsFirstIndex(String kind) {
    try (LogUnderTest l = LogUnderTest.create(kind, dir)) {
      append(l, run(1, 5, 1));
      append(l, run(3, 4, 4));
      LogStorage s = l.storage();
      assertEquals(4, s.lastIndex(), "entry 5 of the old suffix is gone too");
      assertEquals(LogStorage.UNAVAILABLE, s.term(5));
      List<Entry> want = new ArrayList<>(run(1, 2, 1));
      want.addAll(run(3, 4, 4));
      assertEquals(want, s.entries(1, 5, Long.MAX_VALUE));
      append(l, run(5, 6, 4));
      assertEquals(6, s.lastIndex());
      assertThrows(IllegalArgumentException.class, () -> append(l, run(8, 8, 4)), "gap");
      assertEquals(6, s.lastIndex());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "jpa"})
  void hardStateIsKeptUntilReplaced(String kind) {
    try (LogUnderTest l = LogUnderTest.create(kind, dir)) {
      l.persist(List.of(), null, run(1, 1, 1), new HardState(1, 2, 1));
      l.persist(List.of(), null, run(2, 2, 1), null);
      assertEquals(new HardState(1, 2, 1), l.storage().hardState());
      l.persist(List.of(), null, List.of(), new HardState(3, 0, 2));
      l.restart();
      assertEquals(new HardState(3, 0, 2), l.storage().hardState());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "jpa"})
  void aReceivedSnapshotReplacesTheWholeLog(String kind) {
    try (LogUnderTest l = LogUnderTest.create(kind, dir)) {
      append(l, run(1, 6, 1));
      ConfState cs = new ConfState(Set.of(1L, 2L), Set.of(3L));
      byte[] data = data(2500, 3);
      SnapshotMetadata m = new SnapshotMetadata(10, 2, cs, data.length);
      List<SnapshotChunk> cs1 = chunks(m, data, 0, 1000);
      l.persist(cs1.subList(0, 2), null, List.of(), null);
      assertThrows(
          IllegalArgumentException.class,
          () ->
              l.persist(
                  List.of(new SnapshotChunk(m, 500, new byte[10], false)), null, List.of(), null));
      // Reception restarts at offset 0 (a new leader), in smaller chunks, then completes with
      // entries after the snapshot in the same Ready.
      List<SnapshotChunk> again = chunks(m, data, 0, 700);
      l.persist(again.subList(0, 2), null, List.of(), null);
      l.persist(again.subList(2, again.size()), m, run(11, 12, 2), new HardState(2, 1, 10));
      LogStorage s = l.storage();
      assertEquals(m, s.snapshot());
      assertEquals(11, s.firstIndex());
      assertEquals(12, s.lastIndex());
      assertEquals(2, s.term(10));
      assertEquals(LogStorage.UNAVAILABLE, s.term(6));
      assertEquals(run(11, 12, 2), s.entries(11, 13, Long.MAX_VALUE));
      assertArrayEquals(data, readAll(s, 333));
      assertArrayEquals(Arrays.copyOfRange(data, 999, 1001), s.snapshotChunk(999, 2));
      assertArrayEquals(Arrays.copyOfRange(data, 2400, 2500), s.snapshotChunk(2400, 1000));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "jpa"})
  void takingASnapshotDropsTheEntriesItCovers(String kind) {
    try (LogUnderTest l = LogUnderTest.create(kind, dir)) {
      append(l, run(1, 4, 1));
      append(l, run(5, 9, 2));
      ConfState cs = ConfState.ofVoters(1L, 2L, 3L);
      byte[] data = data(5000, 1);
      assertThrows(IllegalArgumentException.class, () -> l.createSnapshot(10, cs, data));
      l.createSnapshot(6, cs, data);
      LogStorage s = l.storage();
      assertEquals(new SnapshotMetadata(6, 2, cs, 5000), s.snapshot());
      assertEquals(7, s.firstIndex());
      assertEquals(9, s.lastIndex());
      assertEquals(2, s.term(6));
      assertEquals(LogStorage.UNAVAILABLE, s.term(5));
      assertEquals(run(7, 9, 2), s.entries(7, 10, Long.MAX_VALUE));
      assertArrayEquals(data, readAll(s, 4096));
      assertThrows(IllegalArgumentException.class, () -> l.createSnapshot(6, cs, data));
      // Entries at or below the snapshot index are ignored by an append.
      append(l, run(5, 10, 2));
      assertEquals(7, s.firstIndex());
      assertEquals(run(7, 10, 2), s.entries(7, 11, Long.MAX_VALUE));
      l.createSnapshot(10, cs, new byte[0]);
      assertEquals(11, s.firstIndex());
      assertEquals(10, s.lastIndex());
      assertEquals(2, s.term(10));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "jpa"})
  void aRestartReturnsExactlyThePersistedState(String kind) {
    try (LogUnderTest l = LogUnderTest.create(kind, dir)) {
      append(l, run(1, 3, 1));
      append(l, run(4, 8, 3));
      l.createSnapshot(2, ConfState.ofVoters(1L), data(100, 9));
      append(l, run(7, 9, 4));
      l.persist(List.of(), null, List.of(), new HardState(4, 1, 7));
      Snapshot before = Snapshot.of(l.storage());
      l.restart();
      assertEquals(before, Snapshot.of(l.storage()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "jpa"})
  void aReceptionRestartedWithinOneReadyKeepsOnlyTheNewData(String kind) {
    try (LogUnderTest l = LogUnderTest.create(kind, dir)) {
      append(l, run(1, 3, 1));
      byte[] old = data(1800, 1);
      SnapshotMetadata stale = new SnapshotMetadata(8, 2, ConfState.ofVoters(1L), old.length);
      byte[] fresh = data(1500, 2);
      SnapshotMetadata m = new SnapshotMetadata(9, 3, ConfState.ofVoters(1L, 2L), fresh.length);
      List<SnapshotChunk> both = new ArrayList<>(chunks(stale, old, 0, 800).subList(0, 2));
      both.addAll(chunks(m, fresh, 0, 600));
      l.persist(both, m, List.of(), null);
      LogStorage s = l.storage();
      assertEquals(m, s.snapshot());
      assertArrayEquals(fresh, readAll(s, 1000));
      assertEquals(10, s.firstIndex());
      assertEquals(9, s.lastIndex());
    }
  }

  static byte[] readAll(LogStorage s, int piece) {
    byte[] out = new byte[(int) s.snapshot().size()];
    for (int at = 0; at < out.length; ) {
      byte[] p = s.snapshotChunk(at, piece);
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Everything a LogStorage answers, for equality checks (entries and data compared by value). */
  record Snapshot(
      HardState hardState,
      SnapshotMetadata snapshot,
      long firstIndex,
      long lastIndex,
      List<Long> terms,
      List<Entry> entries,
      List<Byte> data) {
    static Snapshot of(LogStorage s) {
      List<Long> terms = new ArrayList<>();
      for (long i = s.firstIndex() - 2; i <= s.lastIndex() + 1; i++) {
        terms.add(s.term(i));
      }
      List<Entry> ents =
          s.lastIndex() >= s.firstIndex()
              ? s.entries(s.firstIndex(), s.lastIndex() + 1, Long.MAX_VALUE)
              : List.of();
      List<Byte> data = new ArrayList<>();
      for (byte b : readAll(s, 1000)) {
        data.add(b);
      }
      return new Snapshot(
          s.hardState(), s.snapshot(), s.firstIndex(), s.lastIndex(), terms, ents, data);
    }
  }
}
