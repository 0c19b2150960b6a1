package io.kvorum.raft.jpa;

import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.HardState;
import io.kvorum.raft.core.LogStorage;
import io.kvorum.raft.core.MemoryLogStorage;
import io.kvorum.raft.core.SnapshotChunk;
import io.kvorum.raft.core.SnapshotMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A log storage with the driver's write side, so one suite runs against {@link MemoryLogStorage}
 * (written as the simulator's driver writes it) and {@link JpaLogStorage}.
 */
interface LogUnderTest extends AutoCloseable {
  LogStorage storage();

  /** Persists a Ready's durable part: chunks, installed snapshot, entries, hard state. */
  void persist(
      List<SnapshotChunk> chunks, SnapshotMetadata install, List<Entry> ents, HardState hs);

  void createSnapshot(long index, ConfState confState, byte[] data);

  /** Simulates a crash and restart: only what was persisted remains. */
  void restart();

  @Override
  void close();

  /** Creates an empty log of the given kind ("memory" or "jpa"; jpa in {@code dir}). */
  static LogUnderTest create(String kind, Path dir) {
    return kind.equals("memory") ? new Memory() : new Jpa(dir, JpaLogStorage.Options.defaults());
  }

  /** MemoryLogStorage, written as SimNode writes it: received chunks gathered in memory. */
  final class Memory implements LogUnderTest {
    final MemoryLogStorage storage = new MemoryLogStorage();
    private ByteArrayOutputStream receiving = new ByteArrayOutputStream();

    @Override
    public LogStorage storage() {
      return storage;
    }

    @Override
    public void persist(
        List<SnapshotChunk> chunks, SnapshotMetadata install, List<Entry> ents, HardState hs) {
      for (SnapshotChunk c : chunks) {
        if (c.offset() == 0) {
          receiving = new ByteArrayOutputStream();
        }
        if (c.offset() != receiving.size()) {
          throw new IllegalArgumentException("chunk at " + c.offset());
        }
        receiving.writeBytes(c.data());
      }
      if (install != null) {
        if (receiving.size() != install.size()) {
          throw new IllegalArgumentException("snapshot size");
        }
        storage.applySnapshot(install, receiving.toByteArray());
        receiving = new ByteArrayOutputStream();
      }
      storage.append(ents);
      if (hs != null) {
        storage.setHardState(hs);
      }
    }

    @Override
    public void createSnapshot(long index, ConfState confState, byte[] data) {
      storage.createSnapshot(index, confState, data);
    }

    @Override
    public void restart() {
      receiving = new ByteArrayOutputStream();
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "memory";
    }
  }

  /** JpaLogStorage on an H2 file database; a restart closes the database and reopens it. */
  final class Jpa implements LogUnderTest {
    private final Path dir;
    private final JpaLogStorage.Options options;
    RaftH2 db;
    JpaLogStorage storage;

    Jpa(Path dir, JpaLogStorage.Options options) {
      this.dir = dir;
      this.options = options;
      open();
    }

    private void open() {
      db = RaftH2.open(dir);
      storage = new JpaLogStorage(db.transactions(), options);
    }

    @Override
    public LogStorage storage() {
      return storage;
    }

    @Override
    public void persist(
        List<SnapshotChunk> chunks, SnapshotMetadata install, List<Entry> ents, HardState hs) {
      storage.persist(chunks, install, ents, hs);
    }

    @Override
    public void createSnapshot(long index, ConfState confState, byte[] data) {
      storage.createSnapshot(index, confState, data);
    }

    @Override
    public void restart() {
      db.close();
      open();
    }

    @Override
    public void close() {
      db.close();
    }

    @Override
    public String toString() {
      return "jpa";
    }
  }
}
