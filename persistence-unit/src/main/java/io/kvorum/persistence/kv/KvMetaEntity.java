package io.kvorum.persistence.kv;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The MVCC store's single metadata row (table {@code kv_meta}, id 1): the applied Raft index,
 * written in the same transaction as the KV changes it covers, the current and compacted revisions,
 * and the raised alarms ("memberId:TYPE" separated by commas).
 */
@Entity
@Table(name = "kv_meta")
public class KvMetaEntity {
  public static final int ID = 1;

  @Id
  @Column(name = "id", nullable = false)
  private int id = ID;

  @Column(name = "applied_index", nullable = false)
  private long appliedIndex;

  @Column(name = "current_revision", nullable = false)
  private long currentRevision;

  @Column(name = "compact_revision", nullable = false)
  private long compactRevision;

  @Column(name = "alarms", nullable = false, length = 4000)
  private String alarms = "";

  public long getAppliedIndex() {
    return appliedIndex;
  }

  public void setAppliedIndex(long appliedIndex) {
    this.appliedIndex = appliedIndex;
  }

  public long getCurrentRevision() {
    return currentRevision;
  }

  public void setCurrentRevision(long currentRevision) {
    this.currentRevision = currentRevision;
  }

  public long getCompactRevision() {
    return compactRevision;
  }

  public void setCompactRevision(long compactRevision) {
    this.compactRevision = compactRevision;
  }

  public String getAlarms() {
    return alarms;
  }

  public void setAlarms(String alarms) {
    this.alarms = alarms;
  }
}
