package io.kvorum.raft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The leader's sending side: appending proposals, batching and pipelining appends, heartbeats,
 * snapshot chunks, and advancing the commit index.
 */
final class Replication {
  private Replication() {}

  /** Assigns term and indexes to new entries, appends them, and counts the leader's own copy. */
  static void appendEntries(Raft r, List<Entry> proposed) {
    long last = r.log.lastIndex();
    List<Entry> ents = new ArrayList<>(proposed.size());
    for (int i = 0; i < proposed.size(); i++) {
      Entry p = proposed.get(i);
      ents.add(new Entry(last + 1 + i, r.term, p.type(), p.data()));
    }
    long newLast = r.log.append(ents);
    // The leader's entries become durable before any message naming them is sent (Ready
    // contract), so counting its own copy now is safe (Raft thesis 10.2.1).
    r.prs.get(r.id).maybeUpdate(newLast);
    maybeCommit(r);
  }

  /** Commits the highest index a majority has, if it is from the current term. */
  static boolean maybeCommit(Raft r) {
    long mci = r.prs.committed();
    if (mci == Long.MAX_VALUE) {
      return false;
    }
    return r.log.maybeCommit(mci, r.term);
  }

  /** Sends new entries to everyone; a replicating follower gets as many as its window allows. */
  static void bcastAppend(Raft r) {
    for (long to : r.prs.progress.keySet()) {
      if (to != r.id) {
        sendAppend(r, to);
        fillWindow(r, to);
      }
    }
  }

  /** Pipelining: keeps sending batches to a replicating follower until its window is full. */
  static void fillWindow(Raft r, long to) {
    Progress pr = r.prs.get(to);
    while (pr != null && pr.state == ProgressState.REPLICATE && maybeSendAppend(r, to, false)) {
      pr = r.prs.get(to);
    }
  }

  static void sendAppend(Raft r, long to) {
    maybeSendAppend(r, to, true);
  }

  /**
   * Sends the next batch of entries (at most maxSizePerMsg bytes) to {@code to} unless its progress
   * is paused; switches to sending a snapshot if the entries were compacted away.
   *
   * @param sendIfEmpty send even without new entries (to carry the commit index or probe)
   * @return whether a message was sent
   */
  static boolean maybeSendAppend(Raft r, long to, boolean sendIfEmpty) {
    if (to == r.id) {
      return false;
    }
    Progress pr = r.prs.get(to);
    if (pr == null || pr.isPaused()) {
      return false;
    }
    long prevIndex = pr.next - 1;
    long prevTerm = r.log.term(prevIndex);
    List<Entry> ents = r.log.entriesFrom(pr.next, r.cfg.maxSizePerMsg);
    if (ents != null && ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    if (prevTerm == LogStorage.UNAVAILABLE || ents == null) {
      return startSnapshot(r, to, pr);
    }
    ents = List.copyOf(ents);
    r.send(
        Message.builder(MessageType.APPEND)
            .to(to)
            .index(prevIndex)
            .logTerm(prevTerm)
            .entries(ents)
            .commit(r.log.committed)
            .build());
    if (!ents.isEmpty() && pr.state == ProgressState.REPLICATE) {
      long last = ents.get(ents.size() - 1).index();
      pr.optimisticUpdate(last);
      pr.inflights.add(last);
    } else if (pr.state == ProgressState.PROBE) {
      pr.probeSent = true;
    }
    return true;
  }

  private static boolean startSnapshot(Raft r, long to, Progress pr) {
    if (!pr.recentActive) {
      // Do not stream a snapshot to a node that may be down; wait until it answers.
      return false;
    }
    SnapshotMetadata snap = r.log.storage.snapshot();
    pr.becomeSnapshot(snap.index());
    sendSnapshotChunk(r, to, pr);
    return true;
  }

  /**
   * Sends the chunk at the follower's acknowledged offset. One chunk is in flight per follower, so
   * the leader holds at most one chunk per lagging follower in memory.
   */
  static void sendSnapshotChunk(Raft r, long to, Progress pr) {
    SnapshotMetadata snap = r.log.storage.snapshot();
    if (snap.index() != pr.pendingSnapshot) {
      // The application took a newer snapshot meanwhile: start over with it.
      pr.becomeProbe();
      sendAppend(r, to);
      return;
    }
    byte[] data =
        snap.size() == 0
            ? new byte[0]
            : r.log.storage.snapshotChunk(pr.snapshotOffset, r.cfg.snapshotChunkBytes);
    r.send(
        Message.builder(MessageType.SNAPSHOT)
            .to(to)
            .index(snap.index())
            .snapshot(snap)
            .snapshotOffset(pr.snapshotOffset)
            .snapshotData(data)
            .build());
  }

  static void sendHeartbeat(Raft r, long to, byte[] context) {
    // Never tell a follower to commit past what it is known to have.
    long commit = Math.min(r.prs.get(to).match, r.log.committed);
    r.send(Message.builder(MessageType.HEARTBEAT).to(to).commit(commit).context(context).build());
  }

  static void bcastHeartbeat(Raft r) {
    byte[] ctx = r.readOnly.lastPendingContext();
    for (long to : r.prs.progress.keySet()) {
      if (to != r.id) {
        sendHeartbeat(r, to, ctx);
      }
    }
  }
}
