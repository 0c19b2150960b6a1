package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * An in-memory {@link KvBackend} for the simulator and unit tests. Commits are atomic by
 * construction. Not thread-safe (the store serialises calls).
 */
public final class MemoryKvBackend implements KvBackend {
  private final TreeMap<Revision, RevisionRow> rows = new TreeMap<>();
  private final Map<Long, LeaseRecord> leases = new TreeMap<>();
  private StoreMeta meta;

  @Override
  public StoreMeta load(Consumer<IndexEntry> sink) {
    for (RevisionRow r : rows.values()) {
      sink.accept(r.indexEntry());
    }
    return meta == null ? StoreMeta.EMPTY : meta;
  }

  @Override
  public List<LeaseRecord> loadLeases() {
    return List.copyOf(leases.values());
  }

  @Override
  public List<KeyValue> fetch(List<Revision> revisions) {
    List<KeyValue> out = new ArrayList<>(revisions.size());
    for (Revision r : revisions) {
      RevisionRow row = rows.get(r);
      out.add(row == null ? null : row.kv());
    }
    return out;
  }

  @Override
  public List<RevisionRow> history(long fromMain, int fromSub, long toMain, int maxRows) {
    List<RevisionRow> out = new ArrayList<>();
    for (RevisionRow r : rows.tailMap(new Revision(fromMain, fromSub), true).values()) {
      if (r.revision().main() > toMain || out.size() >= maxRows) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  @Override
  public void commit(WriteBatch batch) {
    for (RevisionRow r : batch.inserts()) {
      rows.put(r.revision(), r);
    }
    for (RevisionRange r : batch.deletes()) {
      rows.subMap(r.first(), true, r.last(), true).clear();
    }
    for (LeaseRecord l : batch.leaseUpserts()) {
      leases.put(l.id(), l);
    }
    for (Long id : batch.leaseDeletes()) {
      leases.remove(id);
    }
    if (batch.meta() != null) {
      meta = batch.meta();
    }
  }

  @Override
  public void clear() {
    rows.clear();
    leases.clear();
    meta = null;
  }

  @Override
  public boolean isEmpty() {
    return meta == null && rows.isEmpty();
  }

  /** Number of stored rows, for tests of physical compaction. */
  public int rowCount() {
    return rows.size();
  }
}
