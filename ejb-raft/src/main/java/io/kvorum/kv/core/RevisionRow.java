package io.kvorum.kv.core;

/**
 * One stored key revision, the unit of the storage port. A tombstone has {@code kv} = key and
 * mod_revision only; {@code kv.modRevision() == revision.main()} always.
 */
public record RevisionRow(Revision revision, boolean tombstone, KeyValue kv) {
  /** The bytes this row is accounted for by the quota: key, value and a fixed overhead. */
  public long size() {
    return IndexEntry.sizeOf(kv.key().length, kv.value().length);
  }

  IndexEntry indexEntry() {
    return new IndexEntry(
        kv.key(),
        revision,
        tombstone,
        kv.createRevision(),
        kv.version(),
        kv.lease(),
        kv.value().length);
  }
}
