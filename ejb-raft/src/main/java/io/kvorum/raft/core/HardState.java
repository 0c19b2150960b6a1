package io.kvorum.raft.core;

/**
 * The state a node must persist before it sends any message produced in the same {@link Ready}.
 *
 * @param term the latest term this node has seen; never decreases
 * @param vote the candidate voted for in {@code term}, or {@link RawNode#NONE}
 * @param commit the highest log index known to be committed; never decreases
 */
public record HardState(long term, long vote, long commit) {
  /** The state of a node that has never run. */
  public static final HardState EMPTY = new HardState(0, RawNode.NONE, 0);
}
