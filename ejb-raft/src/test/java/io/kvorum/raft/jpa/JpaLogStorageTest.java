package io.kvorum.raft.jpa;

import static io.kvorum.raft.jpa.LogStorageBehaviourTest.data;
import static io.kvorum.raft.jpa.LogStorageBehaviourTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.kv.jpa.JpaTransactions;
import io.kvorum.persistence.raft.RaftEntryEntity;
import io.kvorum.persistence.raft.RaftHardStateEntity;
import io.kvorum.persistence.raft.RaftSnapshotChunkEntity;
import io.kvorum.persistence.raft.RaftSnapshotChunkId;
import io.kvorum.persistence.raft.RaftSnapshotEntity;
import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.HardState;
import io.kvorum.raft.core.MemoryLogStorage;
import io.kvorum.raft.core.Ready;
import io.kvorum.raft.core.SnapshotChunk;
import io.kvorum.raft.core.SnapshotMetadata;
import jakarta.persistence.EntityManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the JPA log can get wrong: atomicity, staging rows, corruption, the cache, restart. */
class JpaLogStorageTest {
  @TempDir Path dir;

  /** Counts transactions; can fail the next one after its work ran and was flushed. */
  static final class CountingTransactions implements JpaTransactions {
    private final JpaTransactions delegate;
    int count;
    boolean failNext;
    int failAt = -1;

    CountingTransactions(JpaTransactions delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
      count++;
      boolean failThis = count == failAt;
      return delegate.inTransaction(
          em -> {
            T result = work.apply(em);
            if (failNext || failThis) {
              failNext = false;
              em.flush();
              throw new IllegalStateException("injected commit failure");
            }
            return result;
          });
    }
  }

  private static long rows(RaftH2 db, String sql) {
    return db.transactions()
        .inTransaction(em -> ((Number) em.createNativeQuery(sql).getSingleResult()).longValue());
  }

  @Test
  void aFailedWriteLeavesThePreviousStateAndRetiresTheInstance() {
    try (RaftH2 db = RaftH2.open(dir)) {
      CountingTransactions tx = new CountingTransactions(db.transactions());
      JpaLogStorage s = new JpaLogStorage(tx);
      s.persist(List.of(), null, run(1, 5, 1), new HardState(1, 1, 3));
      var before = LogStorageBehaviourTest.Snapshot.of(s);
      byte[] snap = data(1500, 2);
      SnapshotMetadata m = new SnapshotMetadata(9, 2, ConfState.ofVoters(1L), snap.length);
      tx.failNext = true;
      assertThrows(
          IllegalStateException.class,
          () ->
              s.persist(
                  List.of(new SnapshotChunk(m, 0, snap, true)),
                  m,
                  run(10, 11, 2),
                  new HardState(2, 0, 9)));
      IllegalStateException refused = assertThrows(IllegalStateException.class, s::lastIndex);
      assertTrue(refused.getMessage().contains("reopen"), refused.getMessage());
      JpaLogStorage reopened = new JpaLogStorage(db.transactions());
      assertEquals(before, LogStorageBehaviourTest.Snapshot.of(reopened));
      assertEquals(0, rows(db, "SELECT COUNT(*) FROM raft_snapshot_chunk"));
    }
  }

  @Test
  void aFailedSyncRetiresTheInstanceThoughTheCommitStands() {
    try (RaftH2 db = RaftH2.open(dir)) {
      CountingTransactions tx = new CountingTransactions(db.transactions());
      JpaLogStorage s = new JpaLogStorage(tx);
      s.persist(List.of(), null, run(1, 2, 1), null);
      tx.failAt = tx.count + 2; // the Ready's transaction commits, the CHECKPOINT SYNC fails
      assertThrows(
          IllegalStateException.class,
          () -> s.persist(List.of(), null, run(3, 4, 1), new HardState(1, 0, 4)));
      assertThrows(IllegalStateException.class, () -> s.term(1));
      JpaLogStorage reopened = new JpaLogStorage(db.transactions());
      assertEquals(4, reopened.lastIndex(), "committed, though not known to be on the device");
      assertEquals(new HardState(1, 0, 4), reopened.hardState());
    }
  }

  @Test
  void theEntitiesMapTheTablesTheDdlCreates() {
    try (RaftH2 db = RaftH2.open(dir)) {
      JpaLogStorage s = new JpaLogStorage(db.transactions());
      s.persist(List.of(), null, run(1, 3, 1), new HardState(1, 2, 3));
      s.createSnapshot(
          2, new ConfState(java.util.Set.of(1L, -2L), java.util.Set.of(3L)), data(10, 1));
      db.transactions()
          .inTransaction(
              em -> {
                RaftEntryEntity e = em.find(RaftEntryEntity.class, 3L);
                assertEquals(1, e.getTerm());
                assertEquals(0, e.getEntryType());
                assertArrayEquals(run(3, 3, 1).get(0).data(), e.getData());
                RaftHardStateEntity hs = em.find(RaftHardStateEntity.class, RaftHardStateEntity.ID);
                assertEquals(
                    List.of(1L, 2L, 3L), List.of(hs.getTerm(), hs.getVote(), hs.getCommitIndex()));
                RaftSnapshotEntity m = em.find(RaftSnapshotEntity.class, RaftSnapshotEntity.ID);
                assertEquals(List.of(2L, 1L, 10L), List.of(m.getIndex(), m.getTerm(), m.getSize()));
                assertEquals(
                    "18446744073709551614,1",
                    m.getVoters(),
                    "ids as unsigned, in ConfState's order");
                assertEquals("3", m.getLearners());
                RaftSnapshotChunkEntity c =
                    em.find(RaftSnapshotChunkEntity.class, new RaftSnapshotChunkId((short) 0, 0L));
                assertArrayEquals(data(10, 1), c.getData());
                return null;
              });
    }
  }

  @Test
  void onlyEntriesSnapshotsTermAndVoteAreForcedToDiskNotACommitIndexAlone() {
    try (RaftH2 db = RaftH2.open(dir)) {
      CountingTransactions tx = new CountingTransactions(db.transactions());
      JpaLogStorage s = new JpaLogStorage(tx);
      int before = tx.count;
      s.persist(List.of(), null, run(1, 3, 1), new HardState(1, 1, 0));
      assertEquals(before + 2, tx.count, "entries: the write and a CHECKPOINT SYNC");
      s.persist(List.of(), null, List.of(), new HardState(1, 1, 3));
      assertEquals(before + 3, tx.count, "a commit index alone: written, not synced");
      s.persist(List.of(), null, List.of(), new HardState(2, 0, 3));
      assertEquals(before + 5, tx.count, "a new term: synced");
      s.persist(List.of(), null, List.of(), new HardState(2, 2, 3));
      assertEquals(before + 7, tx.count, "a vote: synced");
      assertEquals(new HardState(2, 2, 3), new JpaLogStorage(db.transactions()).hardState());
    }
  }

  @Test
  void unsafeNoFsyncDropsOnlyTheSyncAndTheUrlKeepsWritesSynchronous() {
    assertEquals(SyncMode.CHECKPOINT_SYNC, EmbeddedH2.syncMode(false));
    assertEquals(SyncMode.COMMIT_ONLY, EmbeddedH2.syncMode(true));
    assertEquals(SyncMode.CHECKPOINT_SYNC, JpaLogStorage.Options.defaults().syncMode());
    String url = EmbeddedH2.url(dir);
    assertTrue(url.endsWith(";WRITE_DELAY=0") && url.contains(EmbeddedH2.MODE_FLAGS), url);
  }

  @Test
  void aRejectedWriteChangesNothingAndTheInstanceStaysUsable() {
    try (RaftH2 db = RaftH2.open(dir)) {
      CountingTransactions tx = new CountingTransactions(db.transactions());
      JpaLogStorage s = new JpaLogStorage(tx);
      s.persist(List.of(), null, run(1, 3, 1), null);
      int before = tx.count;
      assertThrows(
          IllegalArgumentException.class, () -> s.persist(List.of(), null, run(5, 6, 1), null));
      assertEquals(before, tx.count, "validated before any transaction");
      assertEquals(3, s.lastIndex());
    }
  }

  @Test
  void stagedSnapshotRowsAreDiscardedAtOpen() throws IOException {
    try (RaftH2 db = RaftH2.open(dir)) {
      JpaLogStorage s = new JpaLogStorage(db.transactions());
      s.persist(List.of(), null, run(1, 4, 1), null);
      byte[] snap = data(3000, 5);
      SnapshotMetadata m = new SnapshotMetadata(20, 3, ConfState.ofVoters(1L), snap.length);
      s.persist(List.of(new SnapshotChunk(m, 0, new byte[1000], false)), null, List.of(), null);
      InputStream failing =
          new SequenceInputStream(
              new ByteArrayInputStream(new byte[1 << 20]),
              new InputStream() {
                @Override
                public int read() throws IOException {
                  throw new IOException("disk gone");
                }
              });
      assertThrows(IOException.class, () -> s.createSnapshot(2, ConfState.ofVoters(1L), failing));
      assertEquals(0, s.snapshot().index(), "nothing changed");
      assertEquals(1, s.firstIndex());
      assertEquals(2, rows(db, "SELECT COUNT(*) FROM raft_snapshot_chunk"), "staged rows remain");

      JpaLogStorage reopened = new JpaLogStorage(db.transactions());
      assertEquals(0, rows(db, "SELECT COUNT(*) FROM raft_snapshot_chunk"));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              reopened.persist(
                  List.of(new SnapshotChunk(m, 1000, new byte[2000], true)), null, List.of(), null),
          "after a restart a reception starts at offset 0");
      assertEquals(4, reopened.lastIndex());
    }
  }

  @Test
  void corruptedSnapshotDataIsDetected() {
    try (RaftH2 db = RaftH2.open(dir)) {
      JpaLogStorage s =
          new JpaLogStorage(
              db.transactions(), JpaLogStorage.Options.defaults().withSnapshotChunkBytes(1000));
      s.persist(List.of(), null, run(1, 4, 1), null);
      byte[] snap = data(2500, 4);
      s.createSnapshot(3, ConfState.ofVoters(1L), snap);
      CRC32C crc = new CRC32C();
      crc.update(snap);
      assertEquals(crc.getValue(), s.snapshotChecksum());
      s.verifySnapshot();
      db.transactions()
          .inTransaction(
              em ->
                  em.createNativeQuery(
                          "UPDATE raft_snapshot_chunk SET data = ?1 WHERE chunk_offset = 1000")
                      .setParameter(1, new byte[1000])
                      .executeUpdate());
      JpaLogStorage reopened = new JpaLogStorage(db.transactions());
      assertThrows(IllegalStateException.class, reopened::verifySnapshot);
    }
  }

  @Test
  void boundsTermsAndRecentEntriesAreAnsweredWithoutTheDatabase() {
    try (RaftH2 db = RaftH2.open(dir)) {
      CountingTransactions tx = new CountingTransactions(db.transactions());
      JpaLogStorage s =
          new JpaLogStorage(tx, JpaLogStorage.Options.defaults().withEntryCacheBytes(10 * 40));
      s.persist(List.of(), null, run(1, 30, 1), null);
      s.persist(List.of(), null, run(31, 40, 2), new HardState(2, 1, 35));
      int before = tx.count;
      for (long i = 0; i <= 41; i++) {
        s.term(i);
      }
      s.firstIndex();
      s.lastIndex();
      s.hardState();
      assertEquals(run(35, 40, 2), s.entries(35, 41, Long.MAX_VALUE));
      assertEquals(before, tx.count, "no transaction for bounds, terms and cached entries");
      assertEquals(run(1, 40, 1).subList(0, 30), s.entries(1, 31, Long.MAX_VALUE));
      assertEquals(before + 1, tx.count, "older entries come from the database");
      s.persist(new Ready(null, null, List.of(), List.of(), null, List.of(), List.of(), List.of()));
      assertEquals(before + 1, tx.count, "nothing to persist: no transaction");
    }
  }

  @Test
  void aLogWithAHoleIsRefusedAtOpen() {
    try (RaftH2 db = RaftH2.open(dir)) {
      new JpaLogStorage(db.transactions()).persist(List.of(), null, run(1, 5, 1), null);
      db.transactions()
          .inTransaction(
              em -> em.createNativeQuery("DELETE FROM raft_entry WHERE idx = 3").executeUpdate());
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> new JpaLogStorage(db.transactions()));
      assertTrue(e.getMessage().contains("contiguous"), e.getMessage());
    }
  }

  @Test
  void bootstrapWritesTheInitialLogOfANewClusterOnce() {
    try (RaftH2 db = RaftH2.open(dir)) {
      JpaLogStorage s = new JpaLogStorage(db.transactions());
      assertTrue(s.isFresh());
      s.bootstrap(List.of(3L, 1L, 2L));
      assertEquals(
          LogStorageBehaviourTest.Snapshot.of(MemoryLogStorage.bootstrap(1L, 2L, 3L)),
          LogStorageBehaviourTest.Snapshot.of(new JpaLogStorage(db.transactions())));
      assertThrows(IllegalStateException.class, () -> s.bootstrap(List.of(1L)));
    }
  }

  @Test
  void aLargeSnapshotStreamsBackInBoundedPiecesAcrossRestarts() throws IOException {
    byte[] big = data(3 * (1 << 20) + 123, 8);
    try (RaftH2 db = RaftH2.open(dir)) {
      JpaLogStorage s = new JpaLogStorage(db.transactions());
      s.persist(List.of(), null, run(1, 2, 1), null);
      s.createSnapshot(2, ConfState.ofVoters(1L), new ByteArrayInputStream(big));
      assertEquals(4, rows(db, "SELECT COUNT(*) FROM raft_snapshot_chunk"));
    }
    try (RaftH2 db = RaftH2.open(dir)) {
      JpaLogStorage s = new JpaLogStorage(db.transactions());
      s.verifySnapshot();
      try (InputStream in = new SnapshotInputStream(s, 64 * 1024)) {
        assertArrayEquals(big, in.readAllBytes());
      }
    }
  }
}
