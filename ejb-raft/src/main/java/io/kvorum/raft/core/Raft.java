package io.kvorum.raft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The protocol state of one node and the transitions shared by all roles: terms, elections, votes,
 * ticks. Role-specific message handling lives in {@link LeaderStep}, {@link CandidateStep} and
 * {@link FollowerStep}; the leader's sending side in {@link Replication}. Not thread-safe; driven
 * through {@link RawNode}.
 */
final class Raft {
  final long id;
  final RaftConfig cfg;

  /** Current term (persisted). Never decreases. */
  long term;

  /** Whom this node voted for in {@code term} (persisted), or NONE. */
  long vote;

  /** The leader of {@code term} as far as this node knows, or NONE. */
  long lead;

  Role role = Role.FOLLOWER;

  final RaftLog log;
  final ProgressTracker prs;
  final ReadOnly readOnly = new ReadOnly();

  /** Messages to send, drained into the next {@link Ready}. */
  List<Message> msgs = new ArrayList<>();

  /** Answers to ReadIndex requests, drained into the next {@link Ready}. */
  List<ReadState> readStates = new ArrayList<>();

  /** Ticks since the last leader contact (follower) or check-quorum round (leader). */
  int electionElapsed;

  /** Ticks since the last heartbeat broadcast; leader only. */
  int heartbeatElapsed;

  /** In [electionTick, 2 * electionTick); redrawn at every term change and campaign. */
  int randomizedElectionTimeout;

  /** Leader only: the node leadership is being transferred to, or NONE. */
  long leadTransferee;

  /**
   * Leader only: index of the latest conf change proposed (or of the leader's first entry). A new
   * change is refused until applied >= pendingConfIndex, so changes happen one at a time and only
   * after this leader committed an entry of its term.
   */
  long pendingConfIndex;

  /** Leader only: ReadIndex requests waiting for this term's first commit. */
  final List<Message> pendingReadIndex = new ArrayList<>();

  /** Follower only: the snapshot being received in chunks, or null. */
  SnapshotMetadata receivingSnapshot;

  /** Bytes of {@link #receivingSnapshot} received so far. */
  long receivedBytes;

  /** Snapshot chunks received, drained into the next {@link Ready}. */
  List<SnapshotChunk> receivedChunks = new ArrayList<>();

  Raft(RaftConfig cfg, LogStorage storage) {
    this.cfg = cfg.validate();
    this.id = cfg.id;
    this.log = new RaftLog(storage, cfg.maxCommittedSizePerReady);
    this.prs = new ProgressTracker(cfg.maxInflightMsgs);
    HardState hs = storage.hardState();
    SnapshotMetadata snap = storage.snapshot();
    prs.switchTo(snap.confState(), log.lastIndex() + 1);
    if (hs.commit() > log.lastIndex()) {
      throw new IllegalStateException(
          "hard state commit " + hs.commit() + " beyond the last stored index " + log.lastIndex());
    }
    // A snapshot may have been persisted without the hard state of the same Ready (a driver that
    // writes them in two transactions); the snapshot itself proves its index committed.
    log.committed = Math.max(hs.commit(), log.committed);
    becomeFollower(hs.term(), RawNode.NONE);
    vote = hs.vote();
  }

  HardState hardState() {
    return new HardState(term, vote, log.committed);
  }

  SoftState softState() {
    return new SoftState(lead, role);
  }

  /** Whether this node may campaign: only voters (of its own applied membership) do. */
  boolean promotable() {
    return prs.isVoter(id);
  }

  // ---- role transitions -------------------------------------------------------------------

  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = RawNode.NONE;
    }
    lead = RawNode.NONE;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    randomizedElectionTimeout = cfg.electionTick + cfg.random.nextInt(cfg.electionTick);
    leadTransferee = RawNode.NONE;
    prs.resetVotes();
    prs.resetAll(log.lastIndex() + 1);
    Progress self = prs.get(id);
    if (self != null) {
      self.match = log.lastIndex();
    }
    pendingConfIndex = 0;
    readOnly.reset();
    pendingReadIndex.clear();
  }

  void becomeFollower(long newTerm, long leader) {
    reset(newTerm);
    lead = leader;
    role = Role.FOLLOWER;
  }

  void becomePreCandidate() {
    // Pre-vote changes neither term nor vote: a partitioned node cannot inflate terms.
    prs.resetVotes();
    lead = RawNode.NONE;
    role = Role.PRE_CANDIDATE;
  }

  void becomeCandidate() {
    reset(term + 1);
    vote = id;
    role = Role.CANDIDATE;
  }

  void becomeLeader() {
    reset(term);
    lead = id;
    role = Role.LEADER;
    Progress self = prs.get(id);
    self.becomeReplicate();
    self.recentActive = true;
    // The empty entry commits this term, and with it every earlier entry (Raft thesis 3.6.2).
    Replication.appendEntries(this, List.of(Entry.normal(0, 0, null)));
    // Conf changes wait until that entry is applied: a single-server change proposed before the
    // leader committed in its term can lose a concurrent change of an earlier term (the bug in
    // the original single-server algorithm, Ongaro 2015).
    pendingConfIndex = log.lastIndex();
  }

  // ---- time ---------------------------------------------------------------------------------

  void tick() {
    if (role == Role.LEADER) {
      LeaderStep.tick(this);
      return;
    }
    electionElapsed++;
    // Only a node that may campaign restarts its election clock. A learner or removed node keeps
    // counting, so its lease on a vanished leader expires and it can vote for a new one (sim
    // seed 10387: a non-voter's clock kept wrapping below the lease and the cluster never elected).
    if (promotable() && electionElapsed >= randomizedElectionTimeout) {
      electionElapsed = 0;
      hup(false);
    }
  }

  /** Starts an election if allowed; {@code transfer}: asked by the leader via TIMEOUT_NOW. */
  void hup(boolean transfer) {
    if (role == Role.LEADER || !promotable() || hasUnappliedConfChanges()) {
      // A conf change between applied and committed might remove or demote us: wait for it.
      return;
    }
    if (cfg.preVote && !transfer) {
      campaign(true, false);
    } else {
      campaign(false, transfer);
    }
  }

  private boolean hasUnappliedConfChanges() {
    if (log.committed <= log.applied || log.unstable.snapshot != null) {
      return false;
    }
    long lo = Math.max(log.applied + 1, log.firstIndex());
    List<Entry> ents = log.slice(lo, log.committed + 1, Long.MAX_VALUE);
    if (ents == null) {
      return false;
    }
    for (Entry e : ents) {
      if (e.type() == EntryType.CONF_CHANGE) {
        return true;
      }
    }
    return false;
  }

  void campaign(boolean pre, boolean transfer) {
    long voteTerm;
    MessageType type;
    if (pre) {
      becomePreCandidate();
      voteTerm = term + 1;
      type = MessageType.PRE_VOTE;
    } else {
      becomeCandidate();
      voteTerm = term;
      type = MessageType.VOTE;
    }
    if (prs.recordVote(id, true) == Quorum.VoteResult.WON) {
      // A single-voter cluster wins at once.
      if (pre) {
        campaign(false, transfer);
      } else {
        becomeLeader();
      }
      return;
    }
    for (long v : prs.config.voters()) {
      if (v == id) {
        continue;
      }
      send(
          Message.builder(type)
              .to(v)
              .term(voteTerm)
              .index(log.lastIndex())
              .logTerm(log.lastTerm())
              .context(transfer ? Message.CAMPAIGN_TRANSFER : null)
              .build());
    }
  }

  // ---- messages -----------------------------------------------------------------------------

  /** Queues a message; stamps sender and (for term-carrying kinds) the current term. */
  void send(Message m) {
    Message.Builder b = m.toBuilder();
    if (m.from() == RawNode.NONE) {
      b.from(id);
    }
    boolean votes =
        m.type() == MessageType.VOTE
            || m.type() == MessageType.VOTE_RESP
            || m.type() == MessageType.PRE_VOTE
            || m.type() == MessageType.PRE_VOTE_RESP;
    boolean local =
        m.type() == MessageType.PROPOSE
            || m.type() == MessageType.READ_INDEX
            || m.type() == MessageType.TRANSFER_LEADER;
    if (!votes && !local) {
      b.term(term);
    }
    msgs.add(b.build());
  }

  /** Handles any message: term rules first (Figure 2, "all servers"), then the role's step. */
  void step(Message m) {
    if (m.term() == 0) {
      // Local-origin kinds (forwarded proposals, reads, transfers) carry no term.
    } else if (m.term() > term) {
      if (m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE) {
        boolean force = m.context() != null && m.context().length == 1 && m.context()[0] == 'T';
        boolean inLease =
            cfg.checkQuorum && lead != RawNode.NONE && electionElapsed < cfg.electionTick;
        if (!force && inLease) {
          // We heard from a leader within the election timeout: do not help depose it (lease).
          return;
        }
      }
      if (m.type() == MessageType.PRE_VOTE) {
        // Never change term for a pre-vote.
      } else if (m.type() == MessageType.PRE_VOTE_RESP && !m.reject()) {
        // A granted pre-vote carries the future term; the term changes when we campaign.
      } else if (m.type() == MessageType.APPEND
          || m.type() == MessageType.HEARTBEAT
          || m.type() == MessageType.SNAPSHOT) {
        becomeFollower(m.term(), m.from());
      } else {
        becomeFollower(m.term(), RawNode.NONE);
      }
    } else if (m.term() < term) {
      if ((cfg.checkQuorum || cfg.preVote)
          && (m.type() == MessageType.HEARTBEAT || m.type() == MessageType.APPEND)) {
        // A stale leader (e.g. one that was partitioned) learns our term and steps down; without
        // this, a node whose term rose while partitioned could never rejoin (pre-vote blocks its
        // elections and it ignores the stale leader).
        send(Message.builder(MessageType.APPEND_RESP).to(m.from()).build());
      } else if (m.type() == MessageType.PRE_VOTE) {
        send(
            Message.builder(MessageType.PRE_VOTE_RESP)
                .to(m.from())
                .term(term)
                .reject(true)
                .build());
      }
      return;
    }

    switch (m.type()) {
      case VOTE, PRE_VOTE -> handleVoteRequest(m);
      default -> {
        switch (role) {
          case LEADER -> LeaderStep.step(this, m);
          case CANDIDATE, PRE_CANDIDATE -> CandidateStep.step(this, m);
          case FOLLOWER -> FollowerStep.step(this, m);
        }
      }
    }
  }

  /** Figure 2, RequestVote receiver rules, plus pre-vote (thesis 9.6). */
  private void handleVoteRequest(Message m) {
    boolean pre = m.type() == MessageType.PRE_VOTE;
    MessageType resp = pre ? MessageType.PRE_VOTE_RESP : MessageType.VOTE_RESP;
    boolean canVote =
        vote == m.from()
            || (vote == RawNode.NONE && lead == RawNode.NONE)
            || (pre && m.term() > term);
    // A node answers even if it thinks it is a learner: it may have been promoted without having
    // applied that yet, and refusing could leave the new configuration without a quorum (sim seed
    // 102). A learner's vote never counts: candidates tally only their own voters.
    if (canVote && log.isUpToDate(m.index(), m.logTerm())) {
      // Grant with the candidate's term so it counts in the right election.
      send(Message.builder(resp).to(m.from()).term(m.term()).build());
      if (!pre) {
        electionElapsed = 0;
        vote = m.from();
      }
    } else {
      send(Message.builder(resp).to(m.from()).term(term).reject(true).build());
    }
  }

  // ---- membership and snapshots -------------------------------------------------------------

  /** Applies a committed conf change (called as the application advances past it). */
  void applyConfChange(ConfChange cc) {
    switchToConfig(ConfChanger.apply(prs.config, cc));
  }

  void switchToConfig(ConfState cs) {
    prs.switchTo(cs, log.lastIndex() + 1);
    if (role != Role.LEADER) {
      return;
    }
    if (!prs.isVoter(id)) {
      // A removed leader steps down; the remaining voters elect a new one.
      becomeFollower(term, RawNode.NONE);
      return;
    }
    if (leadTransferee != RawNode.NONE && !prs.isVoter(leadTransferee)) {
      leadTransferee = RawNode.NONE;
    }
    // The quorum may have shrunk (commit more) or grown (new members need appends).
    if (Replication.maybeCommit(this)) {
      Replication.bcastAppend(this);
    } else {
      prs.progress.forEach((to, pr) -> Replication.maybeSendAppend(this, to, false));
    }
  }

  /** Installs a fully received snapshot; returns false if the log already covers it. */
  boolean restore(SnapshotMetadata meta) {
    if (meta.index() <= log.committed) {
      return false;
    }
    if (log.matchTerm(meta.index(), meta.term())) {
      // Our log already has the snapshot's last entry: just fast-forward the commit index.
      log.commitTo(meta.index());
      return false;
    }
    log.restore(meta);
    prs.switchTo(meta.confState(), log.lastIndex() + 1);
    return true;
  }
}
