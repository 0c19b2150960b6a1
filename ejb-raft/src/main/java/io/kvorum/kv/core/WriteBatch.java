package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one {@link MvccStore#applyBatch} changes, handed to {@link KvBackend#commit} to be
 * written in one storage transaction: inserted and deleted revisions, lease upserts and deletes,
 * and the new metadata (with the applied index).
 */
public final class WriteBatch {
  private final List<RevisionRow> inserts = new ArrayList<>();
  private final List<RevisionRange> deletes = new ArrayList<>();
  private final Map<Long, LeaseRecord> leaseUpserts = new LinkedHashMap<>();
  private final List<Long> leaseDeletes = new ArrayList<>();
  private StoreMeta meta;

  void insert(RevisionRow row) {
    inserts.add(row);
  }

  /** Drops inserts of this batch (revisions compacted away before they were ever stored). */
  void dropInserts(Set<Revision> revisions) {
    inserts.removeIf(row -> revisions.contains(row.revision()));
  }

  /** Deletes every stored revision in the range. */
  void deleteRange(Revision first, Revision last) {
    deletes.add(new RevisionRange(first, last));
  }

  void upsertLease(LeaseRecord l) {
    leaseDeletes.remove(Long.valueOf(l.id()));
    leaseUpserts.put(l.id(), l);
  }

  void deleteLease(long id) {
    leaseUpserts.remove(id);
    leaseDeletes.add(id);
  }

  void meta(StoreMeta m) {
    meta = m;
  }

  /** Rows to insert, in revision order. */
  public List<RevisionRow> inserts() {
    return Collections.unmodifiableList(inserts);
  }

  /** Ranges of stored rows to delete (compaction), never covering a row that survives. */
  public List<RevisionRange> deletes() {
    return Collections.unmodifiableList(deletes);
  }

  /** Leases to insert or update. */
  public List<LeaseRecord> leaseUpserts() {
    return List.copyOf(leaseUpserts.values());
  }

  /** Ids of leases to delete (a delete of a lease never stored is harmless). */
  public List<Long> leaseDeletes() {
    return Collections.unmodifiableList(leaseDeletes);
  }

  /**
   * The metadata to store; null only for the intermediate batches of a snapshot restore, which
   * leave the metadata alone.
   */
  public StoreMeta meta() {
    return meta;
  }
}
