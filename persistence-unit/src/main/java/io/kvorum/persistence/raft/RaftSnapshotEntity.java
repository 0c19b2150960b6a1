package io.kvorum.persistence.raft;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The metadata of the log's current snapshot (table {@code raft_snapshot}, single row id 1): the
 * index and term it covers, the membership at that index (voters and learners as comma-separated
 * decimal ids), its data length and the CRC-32C of its data. The data itself is in {@link
 * RaftSnapshotChunkEntity} rows of slot 0.
 */
@Entity
@Table(name = "raft_snapshot")
public class RaftSnapshotEntity {
  public static final int ID = 1;

  @Id
  @Column(name = "id", nullable = false)
  private int id = ID;

  @Column(name = "snap_index", nullable = false)
  private long index;

  @Column(name = "snap_term", nullable = false)
  private long term;

  @Column(name = "voters", nullable = false, length = 10000)
  private String voters = "";

  @Column(name = "learners", nullable = false, length = 10000)
  private String learners = "";

  @Column(name = "size_bytes", nullable = false)
  private long size;

  @Column(name = "checksum", nullable = false)
  private long checksum;

  public long getIndex() {
    return index;
  }

  public long getTerm() {
    return term;
  }

  public String getVoters() {
    return voters;
  }

  public String getLearners() {
    return learners;
  }

  public long getSize() {
    return size;
  }

  public long getChecksum() {
    return checksum;
  }

  /** Sets every field (a snapshot's metadata only changes as a whole). */
  public void set(long index, long term, String voters, String learners, long size, long checksum) {
    this.index = index;
    this.term = term;
    this.voters = voters;
    this.learners = learners;
    this.size = size;
    this.checksum = checksum;
  }
}
