package io.kvorum.raft.jpa;

import io.kvorum.kv.jpa.JpaTransactions;
import io.kvorum.persistence.raft.RaftEntryEntity;
import io.kvorum.persistence.raft.RaftSnapshotChunkEntity;
import io.kvorum.raft.core.Bootstrap;
import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.DurableLog;
import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.EntryType;
import io.kvorum.raft.core.HardState;
import io.kvorum.raft.core.LogStorage;
import io.kvorum.raft.core.MemoryLogStorage;
import io.kvorum.raft.core.Ready;
import io.kvorum.raft.core.SnapshotChunk;
import io.kvorum.raft.core.SnapshotMetadata;
import jakarta.persistence.EntityManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The durable Raft log on JPA (EclipseLink; embedded H2 in PostgreSQL mode, or PostgreSQL), with
 * the semantics of {@link MemoryLogStorage}: an append replaces the persisted suffix from its first
 * index on, an installed snapshot replaces the whole log, a snapshot taken by the application drops
 * the entries it covers. Schema and durability: docs/raft-log-storage.md.
 *
 * <p><b>Writes.</b> The driver calls {@link #persist(Ready)} once per Ready, before sending its
 * messages: snapshot chunks, the installed snapshot, the entries and the hard state go to the
 * database in <em>one</em> transaction, made durable according to {@link SyncMode} before the call
 * returns. When the application snapshots its state machine it calls {@link #createSnapshot}.
 *
 * <p><b>Reads.</b> The database is the source of truth at construction; afterwards the bounds, the
 * hard state, the snapshot metadata and the term of every entry are answered from memory ({@link
 * TermRuns}), and {@link #entries} from a cache of the newest entries when it can. Only older
 * entries and snapshot data are read from the database, in bounded pieces.
 *
 * <p><b>Threading.</b> Not thread-safe: like {@link LogStorage}, it is used only by the single
 * thread driving the {@link io.kvorum.raft.core.RawNode}, which also calls the write methods.
 *
 * <p><b>Failures.</b> Arguments that break the log's rules throw {@link IllegalArgumentException}
 * before anything is written. Any other exception from a write (the database failed, the commit or
 * the sync failed) leaves it unknown what reached the disk: the instance then refuses every further
 * call with {@link IllegalStateException}, and the member must stop or reopen a new instance over
 * the database (as etcd stops when an fsync fails). Reads of older entries and of snapshot data may
 * throw the persistence provider's {@link RuntimeException}s.
 */
public final class JpaLogStorage implements DurableLog {
  /**
   * Settings.
   *
   * @param syncMode how a commit is made durable; {@link SyncMode#CHECKPOINT_SYNC} on H2
   * @param entryCacheBytes how many bytes of the newest entries to keep in memory (0: none)
   * @param snapshotChunkBytes the size of the rows {@link #createSnapshot} stores snapshot data in
   */
  public record Options(SyncMode syncMode, long entryCacheBytes, int snapshotChunkBytes) {
    /** Validates. */
    public Options {
      if (syncMode == null) {
        throw new IllegalArgumentException("syncMode: required");
      }
      if (entryCacheBytes < 0) {
        throw new IllegalArgumentException("entryCacheBytes: must be >= 0: " + entryCacheBytes);
      }
      if (snapshotChunkBytes < 1) {
        throw new IllegalArgumentException("snapshotChunkBytes: must be >= 1");
      }
    }

    /** CHECKPOINT_SYNC, a 4 MiB entry cache, 1 MiB snapshot rows. */
    public static Options defaults() {
      return new Options(SyncMode.CHECKPOINT_SYNC, 4 << 20, 1 << 20);
    }

    /** Returns these options with another sync mode. */
    public Options withSyncMode(SyncMode mode) {
      return new Options(mode, entryCacheBytes, snapshotChunkBytes);
    }

    /** Returns these options with another entry cache size (0 disables the cache). */
    public Options withEntryCacheBytes(long bytes) {
      return new Options(syncMode, bytes, snapshotChunkBytes);
    }

    /** Returns these options with another row size for locally created snapshots. */
    public Options withSnapshotChunkBytes(int bytes) {
      return new Options(syncMode, entryCacheBytes, bytes);
    }
  }

  private static final int ENTRY_PAGE = 256;

  private final JpaTransactions tx;
  private final Options options;
  private final TermRuns log;
  private final EntryCache cache;
  private HardState hardState;
  private boolean hardStateRow;
  private SnapshotMetadata snapshot;
  private long snapshotChecksum;
  private boolean snapshotRow;
  // A snapshot being received from the leader (rows of slot RECEIVING): bytes and CRC so far.
  private long receivedBytes;
  private final CRC32C receivedCrc = new CRC32C();
  private boolean failed;

  /**
   * Opens the log in the database behind {@code tx}, creating its tables if needed and discarding
   * partially received or created snapshots (the core restarts a transfer from offset 0).
   *
   * @throws IllegalStateException if the stored log is not contiguous after the stored snapshot
   * @throws RuntimeException the persistence provider's, if the database cannot be read
   */
  public JpaLogStorage(JpaTransactions tx, Options options) {
    this.tx = tx;
    this.options = options;
    this.cache = new EntryCache(options.entryCacheBytes());
    StoredLog stored = tx.inTransaction(StoredLog::load);
    hardState = stored.hardState() == null ? HardState.EMPTY : stored.hardState();
    hardStateRow = stored.hardState() != null;
    snapshot = stored.snapshot() == null ? SnapshotMetadata.EMPTY : stored.snapshot();
    snapshotRow = stored.snapshot() != null;
    snapshotChecksum = stored.snapshotChecksum();
    log = stored.termRuns(snapshot);
  }

  /** Opens with {@link Options#defaults()}. */
  public JpaLogStorage(JpaTransactions tx) {
    this(tx, Options.defaults());
  }

  // ---- reads (LogStorage) ----

  @Override
  public HardState hardState() {
    checkUsable();
    return hardState;
  }

  @Override
  public SnapshotMetadata snapshot() {
    checkUsable();
    return snapshot;
  }

  /** Returns the CRC-32C of the current snapshot's data (0 for the empty snapshot). */
  public long snapshotChecksum() {
    checkUsable();
    return snapshotChecksum;
  }

  @Override
  public byte[] snapshotChunk(long offset, int maxBytes) {
    checkUsable();
    if (offset < 0 || offset >= snapshot.size() || maxBytes < 1) {
      throw new IllegalArgumentException(
          "snapshot chunk at " + offset + " of " + snapshot.size() + ", max " + maxBytes);
    }
    int want = (int) Math.min(maxBytes, snapshot.size() - offset);
    return tx.inTransaction(em -> SnapshotRows.read(em, RaftLogSchema.CURRENT, offset, want));
  }

  @Override
  public long firstIndex() {
    checkUsable();
    return log.firstIndex();
  }

  @Override
  public long lastIndex() {
    checkUsable();
    return log.lastIndex();
  }

  @Override
  public long term(long index) {
    checkUsable();
    return log.term(index);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if [lo, hi) is not within [firstIndex(), lastIndex() + 1)
   */
  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    checkUsable();
    if (lo < log.firstIndex() || hi > log.lastIndex() + 1 || lo >= hi) {
      throw new IllegalArgumentException("entries [" + lo + "," + hi + ") out of range");
    }
    List<Entry> cached = cache.get(lo, hi, maxBytes);
    return cached != null ? cached : tx.inTransaction(em -> readEntries(em, lo, hi, maxBytes));
  }

  /** Returns whether nothing was ever persisted: no hard state, no snapshot, no entries. */
  public boolean isFresh() {
    checkUsable();
    return !hardStateRow && !snapshotRow && log.lastIndex() == 0;
  }

  // ---- writes ----

  /**
   * Persists what {@code rd} asks to persist ({@link Ready#mustPersist()}) in one transaction and
   * makes it durable; does nothing if there is nothing to persist. Call it before sending {@code
   * rd}'s messages. If it installed a snapshot, restore the state machine from {@link
   * #snapshotChunk} (for example with {@link SnapshotInputStream}) before applying anything else.
   *
   * @throws IllegalArgumentException if a chunk is not at the offset after the previous one, an
   *     installed snapshot's size differs from the bytes received, or the entries leave a gap
   * @throws IllegalStateException if this instance failed earlier
   * @throws RuntimeException the persistence provider's, if the write failed (see class doc)
   */
  public void persist(Ready rd) {
    persist(rd.snapshotChunks(), rd.snapshot(), rd.entries(), rd.hardState());
  }

  /**
   * Persists, in one transaction and in this order: snapshot chunks received from the leader, the
   * snapshot they form (replacing the whole log; null for none), entries (replacing the log from
   * the first one's index on; entries at or below the snapshot index are ignored), the hard state
   * (null to keep it). Same contract as {@link #persist(Ready)}.
   */
  public void persist(
      List<SnapshotChunk> chunks, SnapshotMetadata install, List<Entry> ents, HardState hs) {
    checkUsable();
    long received = checkChunks(chunks);
    if (install != null && received != install.size()) {
      throw new IllegalArgumentException(
          "snapshot of " + install.size() + " bytes but " + received + " received");
    }
    long snapIndex = install != null ? install.index() : snapshot.index();
    long last = install != null ? install.index() : log.lastIndex();
    List<Entry> kept = checkEntries(ents, snapIndex, last);
    if (chunks.isEmpty() && install == null && kept.isEmpty() && hs == null) {
      return;
    }
    write(
        () -> {
          for (SnapshotChunk c : chunks) {
            if (c.offset() == 0) {
              receivedCrc.reset();
            }
            receivedCrc.update(c.data());
          }
          long checksum = receivedCrc.getValue();
          tx.inTransaction(
              em -> {
                writeChunks(em, chunks);
                if (install != null) {
                  SnapshotRows.promote(em, RaftLogSchema.RECEIVING);
                  writeSnapshotMeta(em, install, checksum);
                  em.createNativeQuery("DELETE FROM raft_entry").executeUpdate();
                }
                writeEntries(em, kept, last);
                if (hs != null) {
                  writeHardState(em, hs);
                }
                return null;
              });
          if (mustSync(chunks, install, kept, hs)) {
            sync();
          }
          receivedBytes = received;
          if (install != null) {
            snapshot = install;
            snapshotChecksum = checksum;
            snapshotRow = true;
            log.reset(install.index(), install.term());
            cache.clear();
            receivedBytes = 0;
            receivedCrc.reset();
          }
          if (!kept.isEmpty()) {
            log.append(kept);
            cache.append(kept);
          }
          if (hs != null) {
            hardState = hs;
            hardStateRow = true;
          }
        });
  }

  /**
   * Persists the initial log of a member of a new cluster ({@link Bootstrap}): one ADD_VOTER entry
   * per voter, committed, as {@link MemoryLogStorage#bootstrap} does.
   *
   * @throws IllegalStateException if the log is not {@link #isFresh() fresh}
   */
  public void bootstrap(Collection<Long> voters) {
    if (!isFresh()) {
      throw new IllegalStateException("bootstrap: the raft log already has state");
    }
    List<Entry> ents = Bootstrap.entries(voters);
    persist(List.of(), null, ents, Bootstrap.hardState(ents));
  }

  /** {@link #createSnapshot(long, ConfState, InputStream)} from a byte array. */
  public void createSnapshot(long index, ConfState confState, byte[] data) {
    try {
      createSnapshot(index, confState, new ByteArrayInputStream(data));
    } catch (IOException e) {
      throw new AssertionError("a byte array stream does not fail", e);
    }
  }

  /**
   * Records a snapshot of the application's state at {@code index} (at most the applied index) and
   * drops the log up to it, as {@link MemoryLogStorage#createSnapshot} does. The data is read from
   * {@code data} to its end in rows of {@link Options#snapshotChunkBytes()}, each in its own
   * transaction (memory stays bounded); a final transaction makes the snapshot current and drops
   * the covered entries, so a crash leaves either the old snapshot and log or the new ones.
   * Applications that want a tail of entries for slightly lagging followers snapshot at an index
   * below their applied index.
   *
   * @throws IllegalArgumentException if {@code index} is not in (snapshot().index(), lastIndex()]
   * @throws IOException if reading {@code data} fails (nothing changed but staging rows, which the
   *     next call or the next open discards)
   * @throws IllegalStateException if this instance failed earlier
   */
  @Override
  public InputStream snapshotData() {
    return new SnapshotInputStream(this, options.snapshotChunkBytes());
  }

  @Override
  public void createSnapshot(long index, ConfState confState, InputStream data) throws IOException {
    checkUsable();
    if (index <= snapshot.index() || index > log.lastIndex()) {
      throw new IllegalArgumentException("bad snapshot index " + index);
    }
    SnapshotMetadata[] made = new SnapshotMetadata[1];
    long[] checksum = new long[1];
    IOException[] readFailure = new IOException[1];
    write(
        () -> {
          tx.inTransaction(em -> SnapshotRows.clear(em, RaftLogSchema.CREATING));
          CRC32C crc = new CRC32C();
          long size = 0;
          while (true) {
            byte[] chunk;
            try {
              chunk = data.readNBytes(options.snapshotChunkBytes());
            } catch (IOException e) {
              readFailure[0] = e;
              return;
            }
            if (chunk.length == 0) {
              break;
            }
            long at = size;
            tx.inTransaction(
                em -> {
                  em.persist(new RaftSnapshotChunkEntity(RaftLogSchema.CREATING, at, chunk));
                  return null;
                });
            crc.update(chunk);
            size += chunk.length;
          }
          made[0] = new SnapshotMetadata(index, log.term(index), confState, size);
          checksum[0] = crc.getValue();
          tx.inTransaction(
              em -> {
                SnapshotRows.promote(em, RaftLogSchema.CREATING);
                writeSnapshotMeta(em, made[0], checksum[0]);
                em.createNativeQuery("DELETE FROM raft_entry WHERE idx <= ?1")
                    .setParameter(1, index)
                    .executeUpdate();
                return null;
              });
          sync();
          snapshot = made[0];
          snapshotChecksum = checksum[0];
          snapshotRow = true;
          log.compactTo(index);
          cache.dropThrough(index);
        });
    if (readFailure[0] != null) {
      throw readFailure[0];
    }
  }

  /**
   * Reads the whole current snapshot back in bounded pieces and checks its length and CRC-32C
   * against its metadata (for example at startup, before restoring a state machine from it).
   *
   * @throws IllegalStateException if the data does not match, or this instance failed earlier
   */
  public void verifySnapshot() {
    checkUsable();
    CRC32C crc = new CRC32C();
    long size = snapshot.size();
    for (long at = 0; at < size; ) {
      byte[] piece = snapshotChunk(at, options.snapshotChunkBytes());
      crc.update(piece);
      at += piece.length;
    }
    if (crc.getValue() != snapshotChecksum) {
      throw new IllegalStateException(
          "raft snapshot " + snapshot.index() + ": checksum mismatch, the data is corrupt");
    }
  }

  // ---- helpers ----

  /** Validates chunk offsets; returns the bytes received after them. Changes nothing. */
  private long checkChunks(List<SnapshotChunk> chunks) {
    long received = receivedBytes;
    for (SnapshotChunk c : chunks) {
      if (c.offset() == 0) {
        received = 0;
      }
      if (c.offset() != received) {
        throw new IllegalArgumentException("chunk at " + c.offset() + " but have " + received);
      }
      received += c.data().length;
    }
    return received;
  }

  /** Validates entries against a log (snapIndex, last]; returns those after snapIndex. */
  private static List<Entry> checkEntries(List<Entry> ents, long snapIndex, long last) {
    if (ents.isEmpty()) {
      return List.of();
    }
    long first = ents.get(0).index();
    if (first > last + 1) {
      throw new IllegalArgumentException("gap: appending " + first + " after " + last);
    }
    List<Entry> kept = new ArrayList<>(ents.size());
    for (int i = 0; i < ents.size(); i++) {
      Entry e = ents.get(i);
      if (e.index() != first + i) {
        throw new IllegalArgumentException("entries not contiguous at " + e.index());
      }
      if (e.index() > snapIndex) {
        kept.add(e);
      }
    }
    return kept;
  }

  private static void writeChunks(EntityManager em, List<SnapshotChunk> chunks) {
    for (SnapshotChunk c : chunks) {
      if (c.offset() == 0) {
        SnapshotRows.clear(em, RaftLogSchema.RECEIVING);
      }
      if (c.data().length > 0) {
        em.persist(new RaftSnapshotChunkEntity(RaftLogSchema.RECEIVING, c.offset(), c.data()));
      }
    }
  }

  private static void writeEntries(EntityManager em, List<Entry> kept, long last) {
    if (kept.isEmpty()) {
      return;
    }
    long first = kept.get(0).index();
    if (first <= last) {
      em.flush();
      em.createNativeQuery("DELETE FROM raft_entry WHERE idx >= ?1")
          .setParameter(1, first)
          .executeUpdate();
    }
    for (Entry e : kept) {
      em.persist(new RaftEntryEntity(e.index(), e.term(), typeCode(e.type()), e.data()));
    }
  }

  private void writeHardState(EntityManager em, HardState hs) {
    String sql =
        hardStateRow
            ? "UPDATE raft_hard_state SET term = ?1, vote = ?2, commit_index = ?3 WHERE id = 1"
            : "INSERT INTO raft_hard_state (term, vote, commit_index, id) VALUES (?1, ?2, ?3, 1)";
    em.createNativeQuery(sql)
        .setParameter(1, hs.term())
        .setParameter(2, hs.vote())
        .setParameter(3, hs.commit())
        .executeUpdate();
  }

  private void writeSnapshotMeta(EntityManager em, SnapshotMetadata m, long checksum) {
    String sql =
        snapshotRow
            ? "UPDATE raft_snapshot SET snap_index = ?1, snap_term = ?2, voters = ?3,"
                + " learners = ?4, size_bytes = ?5, checksum = ?6 WHERE id = 1"
            : "INSERT INTO raft_snapshot (snap_index, snap_term, voters, learners, size_bytes,"
                + " checksum, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)";
    em.createNativeQuery(sql)
        .setParameter(1, m.index())
        .setParameter(2, m.term())
        .setParameter(3, ConfStateCodec.format(m.confState().voters()))
        .setParameter(4, ConfStateCodec.format(m.confState().learners()))
        .setParameter(5, m.size())
        .setParameter(6, checksum)
        .executeUpdate();
  }

  private static List<Entry> readEntries(EntityManager em, long lo, long hi, long maxBytes) {
    List<Entry> out = new ArrayList<>();
    long size = 0;
    long next = lo;
    while (next < hi) {
      List<Object[]> page =
          StoredLog.rows(
              em.createNativeQuery(
                      "SELECT idx, term, entry_type, data FROM raft_entry"
                          + " WHERE idx >= ?1 AND idx < ?2 ORDER BY idx LIMIT "
                          + ENTRY_PAGE)
                  .setParameter(1, next)
                  .setParameter(2, hi));
      for (Object[] r : page) {
        long index = ((Number) r[0]).longValue();
        if (index != next) {
          throw new IllegalStateException("raft_entry: missing entry " + next);
        }
        EntryType type = entryType(((Number) r[2]).intValue());
        Entry e = new Entry(index, ((Number) r[1]).longValue(), type, (byte[]) r[3]);
        size += e.sizeBytes();
        if (!out.isEmpty() && size > maxBytes) {
          return out;
        }
        out.add(e);
        next++;
      }
      if (page.size() < ENTRY_PAGE && next < hi) {
        throw new IllegalStateException("raft_entry: missing entry " + next);
      }
    }
    return out;
  }

  /** The stored code of an entry type (raft_entry.entry_type): fixed, whatever the enum's order. */
  static short typeCode(EntryType t) {
    return switch (t) {
      case NORMAL -> 0;
      case CONF_CHANGE -> 1;
    };
  }

  static EntryType entryType(int code) {
    return switch (code) {
      case 0 -> EntryType.NORMAL;
      case 1 -> EntryType.CONF_CHANGE;
      default -> throw new IllegalStateException("raft_entry: unknown entry_type " + code);
    };
  }

  /**
   * Whether this write must be durable before the caller goes on (etcd's MustSync): entries,
   * snapshot data, a new term or vote. A change of the commit index alone need not be: it is known
   * to a quorum and relearnt from the leader, so it is written (it reaches the OS with the commit,
   * surviving a killed process) but not forced to the disk.
   */
  private boolean mustSync(
      List<SnapshotChunk> chunks, SnapshotMetadata install, List<Entry> kept, HardState hs) {
    return !chunks.isEmpty()
        || install != null
        || !kept.isEmpty()
        || (hs != null && (hs.term() != hardState.term() || hs.vote() != hardState.vote()));
  }

  private void sync() {
    if (options.syncMode() == SyncMode.CHECKPOINT_SYNC) {
      tx.inTransaction(em -> em.createNativeQuery("CHECKPOINT SYNC").executeUpdate());
    }
  }

  /** Runs a write; if it throws, what reached the database is unknown: the instance is done. */
  private void write(Runnable work) {
    boolean ok = false;
    try {
      work.run();
      ok = true;
    } finally {
      if (!ok) {
        failed = true;
      }
    }
  }

  private void checkUsable() {
    if (failed) {
      throw new IllegalStateException(
          "raft log storage: an earlier write failed; reopen the storage from the database");
    }
  }
}
