package io.kvorum.persistence.kv;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One key revision of the MVCC store (table {@code kv_revision}), keyed by (main, sub) revision
 * like etcd's backend. A tombstone marks a delete. The (kv_key, main_rev) index serves lookups by
 * key; the primary key serves history scans and compaction.
 */
@Entity
@IdClass(KvRevisionId.class)
@Table(
    name = "kv_revision",
    indexes = @Index(name = "kv_revision_key_idx", columnList = "kv_key, main_rev"))
public class KvRevisionEntity {
  @Id
  @Column(name = "main_rev", nullable = false)
  private long mainRev;

  @Id
  @Column(name = "sub_rev", nullable = false)
  private int subRev;

  @Column(name = "kv_key", nullable = false, columnDefinition = "bytea")
  private byte[] key;

  @Column(name = "kv_value", nullable = false, columnDefinition = "bytea")
  private byte[] value;

  @Column(name = "create_revision", nullable = false)
  private long createRevision;

  @Column(name = "version", nullable = false)
  private long version;

  @Column(name = "lease_id", nullable = false)
  private long lease;

  @Column(name = "tombstone", nullable = false)
  private boolean tombstone;

  protected KvRevisionEntity() {}

  public KvRevisionEntity(
      long mainRev,
      int subRev,
      byte[] key,
      byte[] value,
      long createRevision,
      long version,
      long lease,
      boolean tombstone) {
    this.mainRev = mainRev;
    this.subRev = subRev;
    this.key = key;
    this.value = value;
    this.createRevision = createRevision;
    this.version = version;
    this.lease = lease;
    this.tombstone = tombstone;
  }

  public long getMainRev() {
    return mainRev;
  }

  public int getSubRev() {
    return subRev;
  }

  public byte[] getKey() {
    return key;
  }

  public byte[] getValue() {
    return value;
  }

  public long getCreateRevision() {
    return createRevision;
  }

  public long getVersion() {
    return version;
  }

  public long getLease() {
    return lease;
  }

  public boolean isTombstone() {
    return tombstone;
  }
}
