package io.kvorum.raft.core;

/** How a follower handles messages of its term: replication, snapshots, forwarding. */
final class FollowerStep {
  private FollowerStep() {}

  static void step(Raft r, Message m) {
    switch (m.type()) {
      case PROPOSE, READ_INDEX, TRANSFER_LEADER -> {
        if (r.lead != RawNode.NONE) {
          r.send(m.toBuilder().to(r.lead).build());
        }
      }
      case APPEND -> {
        r.electionElapsed = 0;
        r.lead = m.from();
        handleAppend(r, m);
      }
      case HEARTBEAT -> {
        r.electionElapsed = 0;
        r.lead = m.from();
        r.log.commitTo(Math.min(m.commit(), r.log.lastIndex()));
        r.send(
            Message.builder(MessageType.HEARTBEAT_RESP).to(m.from()).context(m.context()).build());
      }
      case SNAPSHOT -> {
        r.electionElapsed = 0;
        r.lead = m.from();
        handleSnapshotChunk(r, m);
      }
      case TIMEOUT_NOW -> r.hup(true);
      case READ_INDEX_RESP -> r.readStates.add(new ReadState(m.index(), m.context()));
      default -> {}
    }
  }

  /** Figure 2, AppendEntries receiver; a rejection carries a fast-backtracking hint. */
  private static void handleAppend(Raft r, Message m) {
    if (m.index() < r.log.committed) {
      // Everything up to our commit index matches the leader's log already.
      r.send(Message.builder(MessageType.APPEND_RESP).to(m.from()).index(r.log.committed).build());
      return;
    }
    long lastNew = r.log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
    if (lastNew >= 0) {
      r.send(Message.builder(MessageType.APPEND_RESP).to(m.from()).index(lastNew).build());
      return;
    }
    // Point the leader at the last index whose term could match: the largest index <= m.index
    // with term <= m.logTerm. Every entry above it in our log has a larger term and cannot match.
    long hintIndex = r.log.findConflictByTerm(Math.min(m.index(), r.log.lastIndex()), m.logTerm());
    long hintTerm = Math.max(0, r.log.term(hintIndex));
    r.send(
        Message.builder(MessageType.APPEND_RESP)
            .to(m.from())
            .index(m.index())
            .reject(true)
            .rejectHint(hintIndex)
            .logTerm(hintTerm)
            .build());
  }

  /**
   * Accepts chunks strictly in order (a chunk at offset 0 restarts reception) and installs the
   * snapshot when the last one arrives. Each chunk is surfaced in the next {@link Ready} for the
   * application to write; acknowledgements carry the bytes received so far.
   */
  private static void handleSnapshotChunk(Raft r, Message m) {
    SnapshotMetadata meta = m.snapshot();
    if (meta.index() <= r.log.committed) {
      // We already have everything the snapshot covers.
      r.receivingSnapshot = null;
      r.send(Message.builder(MessageType.APPEND_RESP).to(m.from()).index(r.log.committed).build());
      return;
    }
    if (m.snapshotOffset() == 0) {
      r.receivingSnapshot = meta;
      r.receivedBytes = 0;
    }
    boolean sameSnapshot = meta.equals(r.receivingSnapshot);
    if (!sameSnapshot || m.snapshotOffset() != r.receivedBytes) {
      long expected = sameSnapshot ? r.receivedBytes : 0;
      r.send(
          Message.builder(MessageType.SNAPSHOT_RESP)
              .to(m.from())
              .index(meta.index())
              .snapshotOffset(expected)
              .build());
      return;
    }
    byte[] data = m.snapshotData() == null ? new byte[0] : m.snapshotData();
    r.receivedBytes += data.length;
    boolean last = r.receivedBytes >= meta.size();
    r.receivedChunks.add(new SnapshotChunk(meta, m.snapshotOffset(), data, last));
    if (!last) {
      r.send(
          Message.builder(MessageType.SNAPSHOT_RESP)
              .to(m.from())
              .index(meta.index())
              .snapshotOffset(r.receivedBytes)
              .build());
      return;
    }
    r.receivingSnapshot = null;
    if (r.restore(meta)) {
      r.send(
          Message.builder(MessageType.APPEND_RESP).to(m.from()).index(r.log.lastIndex()).build());
    } else {
      r.send(Message.builder(MessageType.APPEND_RESP).to(m.from()).index(r.log.committed).build());
    }
  }
}
