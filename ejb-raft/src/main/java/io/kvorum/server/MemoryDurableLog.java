package io.kvorum.server;

import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.DurableLog;
import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.HardState;
import io.kvorum.raft.core.MemoryLogStorage;
import io.kvorum.raft.core.Ready;
import io.kvorum.raft.core.SnapshotChunk;
import io.kvorum.raft.core.SnapshotMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A {@link DurableLog} in memory: "durable" for as long as the object lives. For tests and for
 * members whose state may be lost (never the product default).
 */
public final class MemoryDurableLog implements DurableLog {
  private final MemoryLogStorage log;
  private final ByteArrayOutputStream receiving = new ByteArrayOutputStream();

  private MemoryDurableLog(MemoryLogStorage log) {
    this.log = log;
  }

  /** The log of a member of a new cluster with these voters. */
  public static MemoryDurableLog bootstrap(Long... voters) {
    return new MemoryDurableLog(MemoryLogStorage.bootstrap(voters));
  }

  @Override
  public synchronized void persist(Ready ready) {
    for (SnapshotChunk c : ready.snapshotChunks()) {
      if (c.offset() == 0) {
        receiving.reset();
      }
      receiving.writeBytes(c.data());
    }
    if (ready.snapshot() != null) {
      log.applySnapshot(ready.snapshot(), receiving.toByteArray());
      receiving.reset();
    }
    if (!ready.entries().isEmpty()) {
      log.append(ready.entries());
    }
    if (ready.hardState() != null) {
      log.setHardState(ready.hardState());
    }
  }

  @Override
  public synchronized void createSnapshot(long index, ConfState confState, InputStream data)
      throws IOException {
    log.createSnapshot(index, confState, data.readAllBytes());
  }

  @Override
  public synchronized InputStream snapshotData() {
    return new ByteArrayInputStream(log.snapshotData());
  }

  @Override
  public synchronized HardState hardState() {
    return log.hardState();
  }

  @Override
  public synchronized SnapshotMetadata snapshot() {
    return log.snapshot();
  }

  @Override
  public synchronized byte[] snapshotChunk(long offset, int maxBytes) {
    return log.snapshotChunk(offset, maxBytes);
  }

  @Override
  public synchronized long firstIndex() {
    return log.firstIndex();
  }

  @Override
  public synchronized long lastIndex() {
    return log.lastIndex();
  }

  @Override
  public synchronized long term(long index) {
    return log.term(index);
  }

  @Override
  public synchronized List<Entry> entries(long lo, long hi, long maxBytes) {
    return log.entries(lo, hi, maxBytes);
  }

  /** The empty log of a member joining a running cluster: it learns everything from the leader. */
  public static MemoryDurableLog empty() {
    return new MemoryDurableLog(new MemoryLogStorage());
  }

  /** The membership the log was bootstrapped with (its snapshot's conf state). */
  public synchronized ConfState bootstrapConfState() {
    return log.snapshot().confState();
  }
}
