package io.kvorum.raft.core;

/**
 * Volatile state worth reporting but not persisting.
 *
 * @param leader the id of the leader this node currently follows (itself if leader), or {@link
 *     RawNode#NONE}
 * @param role this node's role
 */
public record SoftState(long leader, Role role) {}
