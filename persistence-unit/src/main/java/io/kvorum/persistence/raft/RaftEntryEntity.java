package io.kvorum.persistence.raft;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One persisted Raft log entry (table {@code raft_entry}), keyed by its index. Entries at or below
 * the snapshot's index are deleted when a snapshot is taken or installed, so the table holds
 * exactly the log after the snapshot. {@code entryType} is 0 for a normal entry, 1 for a conf
 * change.
 */
@Entity
@Table(name = "raft_entry")
public class RaftEntryEntity {
  @Id
  @Column(name = "idx", nullable = false)
  private long index;

  @Column(name = "term", nullable = false)
  private long term;

  @Column(name = "entry_type", nullable = false)
  private short entryType;

  @Column(name = "data", nullable = false, columnDefinition = "bytea")
  private byte[] data;

  protected RaftEntryEntity() {}

  public RaftEntryEntity(long index, long term, short entryType, byte[] data) {
    this.index = index;
    this.term = term;
    this.entryType = entryType;
    this.data = data;
  }

  public long getIndex() {
    return index;
  }

  public long getTerm() {
    return term;
  }

  public short getEntryType() {
    return entryType;
  }

  public byte[] getData() {
    return data;
  }
}
