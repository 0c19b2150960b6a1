package io.kvorum.raft.core;

/**
 * The answer to a {@link RawNode#readIndex(byte[])} request: once this node has applied {@code
 * index}, a local read reflects every write acknowledged before the request was made.
 *
 * @param index the leader's commit index when it confirmed its leadership for this request
 * @param context the caller's request context, returned unchanged
 */
public record ReadState(long index, byte[] context) {}
