package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * etcd's MVCC key-value store over a {@link KvBackend}: applies committed requests
 * deterministically (the same entries give the same state, revisions and responses on every member)
 * and serves reads at the current or a past revision.
 *
 * <p>The key index lives in memory and is rebuilt from the backend on {@link #open}; values and
 * history are read from the backend. One {@link #applyBatch} is one backend transaction holding its
 * KV changes and the applied index, so re-applying entries after a crash is a no-op.
 *
 * <p>Threading: every public method is synchronized; reads may come from any thread. Watch
 * listeners are called on the applying thread after the batch is committed.
 */
public final class MvccStore {
  private final KvBackend backend;
  final KvConfig config;
  final KeyIndex index = new KeyIndex();
  private Compactor compactor = new Compactor(index);
  final Lessor lessor;
  private final Applier applier;
  private final WatchHub watchHub;

  long appliedIndex;
  long currentRevision = 1;
  long compactRevision = -1;
  final List<AlarmResponse.AlarmMember> alarms = new ArrayList<>();
  long dbSize;

  private WriteBatch batch;
  private final Map<Revision, KeyValue> pending = new HashMap<>();
  private final List<Event> batchEvents = new ArrayList<>();
  private boolean broken;

  private MvccStore(KvBackend backend, KvConfig config) {
    this.backend = backend;
    this.config = config;
    this.lessor = new Lessor(config.minLeaseTtl());
    this.applier = new Applier(this);
    this.watchHub = new WatchHub(this, config.watchRingEvents());
  }

  /**
   * Opens a store: loads the metadata, rebuilds the key index and the leases from {@code backend}.
   *
   * @throws RuntimeException whatever the backend throws on a storage failure
   */
  public static MvccStore open(KvBackend backend, KvConfig config) {
    MvccStore s = new MvccStore(backend, config);
    s.load();
    return s;
  }

  private void load() {
    StoreMeta m =
        backend.load(
            e -> {
              index
                  .getOrCreate(e.key())
                  .append(
                      e.revision(),
                      e.tombstone(),
                      (int) e.size(),
                      e.createRevision(),
                      e.version(),
                      e.lease());
              dbSize += e.size();
            });
    appliedIndex = m.appliedIndex();
    currentRevision = m.currentRevision();
    compactRevision = m.compactRevision();
    alarms.addAll(m.alarms());
    if (compactRevision > 0) {
      // revisions compacted before a restart but not yet deleted are rescheduled
      dbSize -= compactor.compact(compactRevision, pending, null);
    }
    for (LeaseRecord l : backend.loadLeases()) {
      lessor.restore(l);
    }
    for (KeyHistory h : index.all()) {
      if (h.live() && h.lease != 0) {
        lessor.attach(h.lease, h.key);
      }
    }
    watchHub.opened(currentRevision);
  }

  // ---- applying committed entries

  /**
   * Applies committed entries in index order inside one backend transaction that also records the
   * applied index. Entries at or below the stored applied index are skipped. Apply-time etcd errors
   * are returned per entry, never thrown.
   *
   * @throws IllegalStateException if an earlier backend failure left the store unusable
   * @throws RuntimeException a backend failure; the store must then be reopened
   */
  public synchronized List<ApplyResult> applyBatch(List<CommittedEntry> entries) {
    checkUsable();
    batch = new WriteBatch();
    List<ApplyResult> results = new ArrayList<>(entries.size());
    boolean applied = false;
    try {
      for (CommittedEntry e : entries) {
        if (e.index() <= appliedIndex) {
          results.add(ApplyResult.skippedAt(e.index()));
          continue;
        }
        results.add(applyOne(e));
        appliedIndex = e.index();
        applied = true;
      }
      if (applied) {
        RevisionRange chunk = compactor.nextChunk();
        if (chunk != null) {
          batch.deleteRange(chunk.first(), chunk.last());
        }
        batch.meta(meta());
        backend.commit(batch);
      }
    } catch (RuntimeException ex) {
      markBroken();
      throw ex;
    } finally {
      pending.clear();
      batch = null;
    }
    List<Event> events = List.copyOf(batchEvents);
    batchEvents.clear();
    watchHub.committed(events);
    return results;
  }

  /** Applies one entry as a batch of one. Same contract as {@link #applyBatch}. */
  public ApplyResult apply(long raftIndex, KvRequest request) {
    return applyBatch(List.of(new CommittedEntry(raftIndex, request))).get(0);
  }

  private ApplyResult applyOne(CommittedEntry e) {
    if (e.request() == null) {
      return ApplyResult.ok(e.index(), null);
    }
    try {
      return ApplyResult.ok(e.index(), applier.apply(e.index(), e.request()));
    } catch (KvException ex) {
      return ApplyResult.failed(e.index(), ex);
    }
  }

  /**
   * After a failed commit the in-memory index, revision and leases are ahead of storage: reads
   * would show state that was never committed (counts, keys, revisions) or fail on missing rows, so
   * the store refuses them too until it is reopened.
   */
  private void markBroken() {
    broken = true;
    lessor.fail();
  }

  void checkUsable() {
    if (broken) {
      throw new IllegalStateException("store failed earlier; reopen it from its backend");
    }
  }

  StoreMeta meta() {
    return new StoreMeta(appliedIndex, currentRevision, compactRevision, alarms);
  }

  // ---- reads

  /**
   * Serves a range at the current revision or at {@code r.revision()}.
   *
   * @throws KvException OUT_OF_RANGE for a compacted or a future revision
   */
  public synchronized RangeResponse range(RangeRequest r) {
    checkUsable();
    return rangeAt(r, currentRevision, currentRevision);
  }

  /** The current store revision (1 for an empty store, as etcd). */
  public synchronized long currentRevision() {
    return currentRevision;
  }

  /**
   * The last compaction revision, -1 if never compacted (etcd's compactMainRev: HashKV answers
   * compact_revision -1 and Compact(0) succeeds once on a fresh store).
   */
  public synchronized long compactRevision() {
    return compactRevision;
  }

  /** The last applied Raft index. */
  public synchronized long appliedIndex() {
    return appliedIndex;
  }

  /** The quota-accounted size of the stored revisions (key + value + fixed overhead per row). */
  public synchronized long dbSize() {
    return dbSize;
  }

  /** The raised alarms. */
  public synchronized List<AlarmResponse.AlarmMember> alarms() {
    return List.copyOf(alarms);
  }

  /** The leases: time-to-live, keep-alive, expiry and checkpoints (leader-side calls). */
  public Lessor lessor() {
    return lessor;
  }

  /** The watch hub: streams of watchers fed after each committed batch. */
  public WatchHub watches() {
    return watchHub;
  }

  /**
   * HashKV: the hash of every stored revision up to {@code revision} (0 = current).
   *
   * @throws KvException OUT_OF_RANGE for a future revision or one at or below the compaction
   */
  public synchronized HashKvResponse hashKv(long revision) {
    checkUsable();
    // etcd's HashByRev refuses a revision at or below the compaction (unlike Range, which serves
    // the compact revision itself), and checks it before the future one
    if (revision > 0 && revision <= compactRevision) {
      throw KvException.compacted();
    }
    long rev = revision <= 0 ? currentRevision : revision;
    if (rev > currentRevision) {
      throw KvException.futureRevision();
    }
    long h = KvHasher.hashRows(this, rev, new CRC32C());
    return new HashKvResponse(ResponseHeader.ofRevision(currentRevision), h, compactRevision);
  }

  /**
   * Hash of the whole KV state (Maintenance.Hash): every row, the leases, the current and compacted
   * revisions and the alarms; not the applied index.
   */
  public synchronized long hash() {
    checkUsable();
    CRC32C crc = new CRC32C();
    Wire.Writer w = new Wire.Writer().varint(currentRevision).varint(compactRevision);
    for (AlarmResponse.AlarmMember a : alarms) {
      w.varint(a.memberId()).u8(a.alarm().ordinal());
    }
    for (LeaseRecord l : lessor.records()) {
      w.varint(l.id()).varint(l.ttl()).varint(l.remainingTtl());
    }
    crc.update(w.toByteArray());
    return KvHasher.hashRows(this, currentRevision, crc);
  }

  /**
   * Starts a snapshot of the whole KV state at the current applied index; see {@link KvSnapshot}.
   */
  public KvSnapshot snapshot(int chunkBytes) {
    return new KvSnapshot(this, chunkBytes);
  }

  /**
   * Restores a snapshot stream into an empty backend and opens the store on it. Rows are written in
   * batches as they arrive; the metadata (with the applied index) is written last, after the
   * checksum matched.
   *
   * @throws IllegalStateException if the backend is not empty
   * @throws IllegalArgumentException if the stream is malformed or its checksum does not match; the
   *     backend then holds partial rows without metadata and must be discarded
   */
  public static MvccStore restore(KvBackend backend, KvConfig config, Iterable<byte[]> chunks) {
    if (!backend.isEmpty()) {
      throw new IllegalStateException("a snapshot restores into an empty store only");
    }
    write(backend, chunks);
    return open(backend, config);
  }

  /**
   * Replaces this store's whole state with a snapshot's (a follower installing the leader's
   * snapshot): the backend is cleared and refilled, the key index and leases are rebuilt, and watch
   * streams catch up from storage (a watcher whose next revision was compacted away is cancelled
   * with the compact revision, as after any compaction). A failure leaves the backend without
   * metadata; the store is then unusable and the owner restores again from the same snapshot.
   *
   * @throws IllegalArgumentException if the stream is malformed or its checksum does not match
   */
  public synchronized void restoreSnapshot(Iterable<byte[]> chunks) {
    boolean ok = false;
    try {
      backend.clear();
      write(backend, chunks);
      index.clear();
      compactor = new Compactor(index);
      lessor.clear();
      pending.clear();
      alarms.clear();
      dbSize = 0;
      currentRevision = 1;
      compactRevision = -1;
      broken = false;
      load();
      watchHub.committed(List.of());
      ok = true;
    } finally {
      if (!ok) {
        markBroken();
      }
    }
  }

  private static void write(KvBackend backend, Iterable<byte[]> chunks) {
    StoreMeta[] meta = {null};
    WriteBatch[] batch = {new WriteBatch()};
    SnapshotRestorer r =
        new SnapshotRestorer(
            rec -> {
              Wire.Reader in = new Wire.Reader(rec);
              int type = in.u8();
              if (type == KvSnapshot.META) {
                long applied = in.varint();
                long current = in.varint();
                long compact = in.varint();
                int n = in.length();
                List<AlarmResponse.AlarmMember> alarms = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                  alarms.add(
                      new AlarmResponse.AlarmMember(
                          in.varint(), in.enumOf(AlarmRequest.AlarmType.values())));
                }
                meta[0] = new StoreMeta(applied, current, compact, alarms);
              } else if (type == KvSnapshot.LEASE) {
                batch[0].upsertLease(new LeaseRecord(in.varint(), in.varint(), in.varint()));
              } else if (type == KvSnapshot.ROW) {
                long main = in.varint();
                int sub = (int) in.uvarint();
                boolean tomb = in.bool();
                byte[] key = in.bytes();
                byte[] value = in.bytes();
                KeyValue kv = new KeyValue(key, in.varint(), main, in.varint(), value, in.varint());
                batch[0].insert(new RevisionRow(new Revision(main, sub), tomb, kv));
                if (batch[0].inserts().size() >= 1000) {
                  backend.commit(batch[0]);
                  batch[0] = new WriteBatch();
                }
              } else {
                throw new IllegalArgumentException("unknown snapshot record " + type);
              }
            });
    for (byte[] c : chunks) {
      r.feed(c);
    }
    r.finish();
    if (meta[0] == null) {
      throw new IllegalArgumentException("snapshot has no metadata record");
    }
    batch[0].meta(meta[0]);
    backend.commit(batch[0]);
  }

  /** LeaseTimeToLive with the header revision filled; see {@link Lessor#timeToLive}. */
  public synchronized LeaseTimeToLiveResponse leaseTimeToLive(long id, boolean keys, long now) {
    checkUsable();
    LeaseTimeToLiveResponse r = lessor.timeToLive(id, keys, now);
    return new LeaseTimeToLiveResponse(
        ResponseHeader.ofRevision(currentRevision), r.id(), r.ttl(), r.grantedTtl(), r.keys());
  }

  RangeResponse rangeAt(RangeRequest r, long readRev, long headerRev) {
    return RangeEvaluator.range(this, r, readRev, headerRev);
  }

  /**
   * Stored rows from revision (fromMain, fromSub) up to main revision {@code toMain}, at most
   * {@code maxRows}, oldest first; for watch replay, hashes and snapshots.
   */
  synchronized List<RevisionRow> history(long fromMain, int fromSub, long toMain, int maxRows) {
    checkUsable();
    List<RevisionRow> out = new ArrayList<>();
    Revision from = new Revision(fromMain, fromSub);
    while (out.size() < maxRows) {
      from = compactor.skipDead(from);
      if (from.main() > toMain) {
        break;
      }
      int want = maxRows - out.size();
      List<RevisionRow> raw = backend.history(from.main(), from.sub(), toMain, want);
      for (RevisionRow r : raw) {
        if (!compactor.isDead(r.revision())) {
          out.add(r);
        }
      }
      if (raw.size() < want) {
        break;
      }
      from = Compactor.after(raw.get(raw.size() - 1).revision());
    }
    return out;
  }

  /**
   * Physically deletes the next chunk (at most 1,000 rows) of compacted revisions in its own
   * backend transaction; each applied batch also deletes one chunk. The driver calls this when idle
   * until it returns false.
   *
   * @return true if compacted revisions remain to be deleted
   * @throws RuntimeException a backend failure; the store must then be reopened
   */
  public synchronized boolean compactStep() {
    checkUsable();
    RevisionRange chunk = compactor.nextChunk();
    if (chunk != null) {
      WriteBatch b = new WriteBatch();
      b.deleteRange(chunk.first(), chunk.last());
      try {
        backend.commit(b);
      } catch (RuntimeException e) {
        markBroken();
        throw e;
      }
    }
    return compactor.pendingChunks() > 0;
  }

  /** The KeyValues of the revisions, in order, from this batch's pending writes or the backend. */
  List<KeyValue> fetch(List<Revision> revs) {
    List<KeyValue> out = new ArrayList<>(Collections.nCopies(revs.size(), (KeyValue) null));
    List<Revision> missing = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < revs.size(); i++) {
      KeyValue kv = pending.get(revs.get(i));
      if (kv != null) {
        out.set(i, kv);
      } else {
        missing.add(revs.get(i));
        at.add(i);
      }
    }
    if (!missing.isEmpty()) {
      List<KeyValue> got = backend.fetch(missing);
      for (int i = 0; i < got.size(); i++) {
        if (got.get(i) == null) {
          throw new IllegalStateException("index points at a missing row " + missing.get(i));
        }
        out.set(at.get(i), got.get(i));
      }
    }
    return out;
  }

  /** The key's value at {@code rev}, or null if absent, deleted or compacted away there. */
  KeyValue get(byte[] key, long rev) {
    KeyHistory h = index.get(key);
    Revision r = h == null || rev < compactRevision ? null : h.liveAt(rev);
    return r == null ? null : fetch(List.of(r)).get(0);
  }

  List<KeyHistory> liveHistories(byte[] key, byte[] end) {
    List<KeyHistory> out = new ArrayList<>();
    for (KeyHistory h : index.range(key, end)) {
      if (h.live()) {
        out.add(h);
      }
    }
    return out;
  }

  // ---- mutations, only inside applyBatch

  KeyValue writePut(byte[] key, byte[] value, long lease, Revision rev) {
    KeyHistory h = index.getOrCreate(key);
    boolean live = h.live();
    long create = live ? h.createRevision : rev.main();
    long version = live ? h.version + 1 : 1;
    long oldLease = live ? h.lease : 0;
    KeyValue kv = new KeyValue(h.key, create, rev.main(), version, value, lease);
    RevisionRow row = new RevisionRow(rev, false, kv);
    h.append(rev, false, (int) row.size(), create, version, lease);
    store(row);
    if (oldLease != lease) {
      if (oldLease != 0) {
        lessor.detach(oldLease, h.key);
      }
      if (lease != 0) {
        lessor.attach(lease, h.key);
      }
    }
    batchEvents.add(new Event(Event.EventType.PUT, kv, null));
    return kv;
  }

  void writeDelete(KeyHistory h, Revision rev) {
    long oldLease = h.lease;
    RevisionRow row = new RevisionRow(rev, true, KeyValue.tombstone(h.key, rev.main()));
    h.append(rev, true, (int) row.size(), 0, 0, 0);
    store(row);
    if (oldLease != 0) {
      lessor.detach(oldLease, h.key);
    }
    batchEvents.add(new Event(Event.EventType.DELETE, row.kv(), null));
  }

  private void store(RevisionRow row) {
    dbSize += row.size();
    batch.insert(row);
    pending.put(row.revision(), row.kv());
  }

  /** Logical compaction now, physical deletion in later chunks; see {@link Compactor}. */
  void compact(long rev) {
    dbSize -= compactor.compact(rev, pending, batch);
    compactRevision = rev;
  }

  void saveLease(LeaseRecord l) {
    batch.upsertLease(l);
  }

  void deleteLease(long id) {
    batch.deleteLease(id);
  }
}
