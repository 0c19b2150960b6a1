package io.kvorum.raft.core;

import java.util.List;
import java.util.Set;

/** How a leader handles ticks and messages of its own term. */
final class LeaderStep {
  private LeaderStep() {}

  static void tick(Raft r) {
    r.heartbeatElapsed++;
    r.electionElapsed++;
    if (r.electionElapsed >= r.cfg.electionTick) {
      r.electionElapsed = 0;
      if (r.cfg.checkQuorum) {
        if (!r.prs.quorumActive(r.id)) {
          // Heard from no quorum for an election timeout: we may be partitioned away; a
          // leader that cannot commit should not keep serving reads or proposals.
          r.becomeFollower(r.term, RawNode.NONE);
          return;
        }
        r.prs.progress.forEach((id, pr) -> pr.recentActive = id == r.id);
      }
      if (r.leadTransferee != RawNode.NONE) {
        // The transfer did not finish within an election timeout: give up and accept proposals.
        r.leadTransferee = RawNode.NONE;
      }
    }
    if (r.heartbeatElapsed >= r.cfg.heartbeatTick) {
      r.heartbeatElapsed = 0;
      Replication.bcastHeartbeat(r);
    }
  }

  /** Whether the leader committed an entry of its own term (required for reads and changes). */
  static boolean committedInCurrentTerm(Raft r) {
    return r.log.term(r.log.committed) == r.term;
  }

  /**
   * Appends proposed entries. Returns false (dropped) during a leadership transfer, when too many
   * entries are uncommitted, or for a conf change while another is pending or before this term's
   * first entry is applied, or if invalid.
   */
  static boolean propose(Raft r, List<Entry> ents) {
    if (r.leadTransferee != RawNode.NONE || !r.prs.isVoter(r.id)) {
      return false;
    }
    long uncommitted = r.log.lastIndex() - r.log.committed;
    if (uncommitted > 0 && uncommitted + ents.size() > r.cfg.maxUncommittedEntries) {
      // Flow control: the caller retries later (found by simulation seed 3901, where a leader
      // piled up a backlog that took longer to replicate than the liveness bound allows).
      return false;
    }
    for (int i = 0; i < ents.size(); i++) {
      if (ents.get(i).type() == EntryType.CONF_CHANGE) {
        ConfChange cc = ConfChange.decode(ents.get(i).data());
        if (ents.size() != 1
            || r.pendingConfIndex > r.log.applied
            || !committedInCurrentTerm(r)
            || ConfChanger.invalidReason(r.prs.config, cc) != null) {
          return false;
        }
        r.pendingConfIndex = r.log.lastIndex() + 1;
      }
    }
    Replication.appendEntries(r, ents);
    Replication.bcastAppend(r);
    return true;
  }

  static void step(Raft r, Message m) {
    switch (m.type()) {
      case PROPOSE -> propose(r, m.entries());
      case READ_INDEX -> readIndex(r, m);
      case TRANSFER_LEADER -> transferLeadership(r, m.from());
      case APPEND_RESP -> appendResponse(r, m);
      case HEARTBEAT_RESP -> heartbeatResponse(r, m);
      case SNAPSHOT_RESP -> snapshotResponse(r, m);
      default -> {
        // Votes of our term were handled before; the rest does not concern a leader.
      }
    }
  }

  /** A ReadIndex request, local ({@code from} == id) or forwarded by a follower. */
  static void readIndex(Raft r, Message m) {
    if (!committedInCurrentTerm(r)) {
      // Our commit index may lag the previous leader's until this term's entry commits.
      r.pendingReadIndex.add(m);
      return;
    }
    if (r.prs.config.voters().size() == 1) {
      respondToRead(r, m.from(), m.context(), r.log.committed);
      return;
    }
    r.readOnly.add(r.log.committed, m.from(), m.context());
    r.readOnly.ack(r.id, m.context());
    Replication.bcastHeartbeat(r);
  }

  private static void respondToRead(Raft r, long from, byte[] ctx, long index) {
    if (from == r.id || from == RawNode.NONE) {
      r.readStates.add(new ReadState(index, ctx));
    } else {
      r.send(
          Message.builder(MessageType.READ_INDEX_RESP).to(from).index(index).context(ctx).build());
    }
  }

  /** Releases reads that waited for this term's first commit. */
  static void releasePendingReads(Raft r) {
    if (r.pendingReadIndex.isEmpty() || !committedInCurrentTerm(r)) {
      return;
    }
    List<Message> waiting = List.copyOf(r.pendingReadIndex);
    r.pendingReadIndex.clear();
    for (Message m : waiting) {
      readIndex(r, m);
    }
  }

  static void transferLeadership(Raft r, long to) {
    if (to == r.id || !r.prs.isVoter(to)) {
      return;
    }
    if (r.leadTransferee == to) {
      return;
    }
    r.leadTransferee = to;
    // The transfer must finish within one election timeout (see tick).
    r.electionElapsed = 0;
    Progress pr = r.prs.get(to);
    if (pr.match == r.log.lastIndex()) {
      r.send(Message.builder(MessageType.TIMEOUT_NOW).to(to).build());
    } else {
      Replication.sendAppend(r, to);
    }
  }

  private static void appendResponse(Raft r, Message m) {
    Progress pr = r.prs.get(m.from());
    if (pr == null) {
      return;
    }
    pr.recentActive = true;
    if (m.reject()) {
      long hint = m.rejectHint();
      if (m.logTerm() > 0) {
        // Skip every entry of ours whose term cannot match the follower's term at the hint.
        hint = r.log.findConflictByTerm(m.rejectHint(), m.logTerm());
      }
      if (pr.maybeDecrTo(m.index(), hint)) {
        if (pr.state == ProgressState.REPLICATE) {
          pr.becomeProbe();
        }
        Replication.sendAppend(r, m.from());
      }
      return;
    }
    boolean wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index())) {
      return;
    }
    switch (pr.state) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        if (pr.match >= pr.pendingSnapshot) {
          pr.becomeProbe();
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.inflights.freeLE(m.index());
    }
    if (Replication.maybeCommit(r)) {
      releasePendingReads(r);
      Replication.bcastAppend(r);
    } else if (wasPaused) {
      Replication.sendAppend(r, m.from());
    }
    Replication.fillWindow(r, m.from());
    if (m.from() == r.leadTransferee && pr.match == r.log.lastIndex()) {
      r.send(Message.builder(MessageType.TIMEOUT_NOW).to(m.from()).build());
    }
  }

  private static void heartbeatResponse(Raft r, Message m) {
    Progress pr = r.prs.get(m.from());
    if (pr == null) {
      return;
    }
    pr.recentActive = true;
    pr.probeSent = false;
    if (pr.state == ProgressState.REPLICATE && pr.inflights.full()) {
      // The follower is alive but its acknowledgements were lost (or it restarted): free a slot
      // so the pipeline cannot stall forever. (Found by simulation seed 0.)
      pr.inflights.freeFirstOne();
    }
    if (pr.state == ProgressState.SNAPSHOT) {
      // Retransmits a chunk that may have been lost.
      Replication.sendSnapshotChunk(r, m.from(), pr);
    } else if (pr.match < r.log.lastIndex()) {
      Replication.sendAppend(r, m.from());
    }
    if (m.context() == null) {
      return;
    }
    Set<Long> acks = r.readOnly.ack(m.from(), m.context());
    if (acks == null || !Quorum.hasQuorum(r.prs.config.voters(), acks)) {
      return;
    }
    for (ReadOnly.Request req : r.readOnly.advance(m.context())) {
      respondToRead(r, req.from, req.context, req.index);
    }
  }

  private static void snapshotResponse(Raft r, Message m) {
    Progress pr = r.prs.get(m.from());
    if (pr == null) {
      return;
    }
    pr.recentActive = true;
    if (pr.state != ProgressState.SNAPSHOT || m.index() != pr.pendingSnapshot) {
      return;
    }
    if (m.reject()) {
      pr.becomeProbe();
      Replication.sendAppend(r, m.from());
      return;
    }
    if (m.snapshotOffset() == pr.snapshotOffset) {
      // A duplicate acknowledgement: the chunk after it is already on its way.
      return;
    }
    pr.snapshotOffset = m.snapshotOffset();
    Replication.sendSnapshotChunk(r, m.from(), pr);
  }
}
