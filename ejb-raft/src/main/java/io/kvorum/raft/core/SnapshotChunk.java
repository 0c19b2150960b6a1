package io.kvorum.raft.core;

/**
 * A piece of a snapshot received from the leader, surfaced in {@link Ready#snapshotChunks()} for
 * the application to write at {@code offset}. Chunks of one snapshot arrive in order starting at
 * offset 0; a chunk at offset 0 means any partially received snapshot can be discarded.
 *
 * @param metadata the snapshot this chunk belongs to
 * @param offset where {@code data} starts in the snapshot
 * @param data the bytes
 * @param last whether this chunk completes the snapshot
 */
public record SnapshotChunk(SnapshotMetadata metadata, long offset, byte[] data, boolean last) {}
