package io.kvorum.persistence.raft;

import java.io.Serializable;
import java.util.Objects;

/** The primary key of {@link RaftSnapshotChunkEntity}: (slot, offset). */
public class RaftSnapshotChunkId implements Serializable {
  private static final long serialVersionUID = 1L;

  private short slot;
  private long offset;

  public RaftSnapshotChunkId() {}

  public RaftSnapshotChunkId(short slot, long offset) {
    this.slot = slot;
    this.offset = offset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RaftSnapshotChunkId k && k.slot == slot && k.offset == offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(slot, offset);
  }
}
