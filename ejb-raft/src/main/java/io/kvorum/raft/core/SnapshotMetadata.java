package io.kvorum.raft.core;

/**
 * Describes a snapshot of the applied state machine.
 *
 * @param index the last log index the snapshot covers (0: no snapshot)
 * @param term the term of the entry at {@code index}
 * @param confState the membership after applying everything up to {@code index}
 * @param size the snapshot's data length in bytes
 */
public record SnapshotMetadata(long index, long term, ConfState confState, long size) {
  /** The "no snapshot yet" metadata of a node that has never joined a cluster. */
  public static final SnapshotMetadata EMPTY = new SnapshotMetadata(0, 0, ConfState.EMPTY, 0);
}
