package io.kvorum.persistence.raft;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * A piece of snapshot data (table {@code raft_snapshot_chunk}), keyed by (slot, offset). Slot 0
 * holds the current snapshot; slot 1 a snapshot being received from the leader; slot 2 a snapshot
 * being written by the local application. Only slot 0 survives a restart: the others are staging
 * areas, promoted to slot 0 in the transaction that makes their snapshot current.
 */
@Entity
@IdClass(RaftSnapshotChunkId.class)
@Table(name = "raft_snapshot_chunk")
public class RaftSnapshotChunkEntity {
  @Id
  @Column(name = "slot", nullable = false)
  private short slot;

  @Id
  @Column(name = "chunk_offset", nullable = false)
  private long offset;

  @Column(name = "data", nullable = false, columnDefinition = "bytea")
  private byte[] data;

  protected RaftSnapshotChunkEntity() {}

  public RaftSnapshotChunkEntity(short slot, long offset, byte[] data) {
    this.slot = slot;
    this.offset = offset;
    this.data = data;
  }

  public short getSlot() {
    return slot;
  }

  public long getOffset() {
    return offset;
  }

  public byte[] getData() {
    return data;
  }
}
