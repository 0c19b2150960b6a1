package io.kvorum.raft.core;

import java.util.List;

/**
 * One batch of work for the application, returned by {@link RawNode#ready()}. Handle it in this
 * order, then call {@link RawNode#advance()}:
 *
 * <ol>
 *   <li>Write {@link #snapshotChunks()} (in order, at their offsets). If {@link #snapshot()} is
 *       set, the chunks received so far form that snapshot: restore the state machine from it and
 *       make it the log's snapshot (the whole log is replaced).
 *   <li>Append {@link #entries()} (replacing any persisted entries from the first one's index on)
 *       and persist {@link #hardState()} if non-null. All of this must be durable before step 3:
 *       the messages promise it (votes, acknowledgements).
 *   <li>Send {@link #messages()}; any may be lost, duplicated or reordered.
 *   <li>Apply {@link #committedEntries()} in order (they are durable by now: they are committed and
 *       were persisted in this or an earlier Ready). Conf changes among them take effect in the
 *       core at {@link RawNode#advance()}.
 *   <li>Serve {@link #readStates()}: a read for a context may run once applied >= its index.
 * </ol>
 *
 * @param softState the new leader/role, or null if unchanged (not persisted)
 * @param hardState the new term/vote/commit to persist, or null if unchanged
 * @param entries entries to persist
 * @param snapshotChunks snapshot chunks received from the leader, to write
 * @param snapshot metadata of a completely received snapshot to install, or null
 * @param committedEntries entries to apply
 * @param messages messages to send after persisting
 * @param readStates answers to ReadIndex requests
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    List<Entry> entries,
    List<SnapshotChunk> snapshotChunks,
    SnapshotMetadata snapshot,
    List<Entry> committedEntries,
    List<Message> messages,
    List<ReadState> readStates) {

  /** Whether there is anything to persist (entries, hard state, snapshot chunks). */
  public boolean mustPersist() {
    return hardState != null || !entries.isEmpty() || !snapshotChunks.isEmpty() || snapshot != null;
  }
}
