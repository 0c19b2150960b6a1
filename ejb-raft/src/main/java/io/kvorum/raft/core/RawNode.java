package io.kvorum.raft.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Raft node as a pure state machine: the single entry point of the core. The caller feeds it time
 * ({@link #tick()}), messages ({@link #step}) and requests ({@link #propose}, {@link #readIndex},
 * {@link #proposeConfChange}, {@link #transferLeadership}); the node's output is a {@link Ready}
 * batch.
 *
 * <p><b>Driver contract.</b> In a loop: if {@link #hasReady()}, take {@link #ready()}; persist its
 * snapshot chunks/snapshot, entries and hard state durably; only then send its messages; then apply
 * its committed entries; serve its read states; then call {@link #advance()}. Between {@link
 * #ready()} and {@link #advance()} no other method may be called. What was not persisted before a
 * crash is simply lost: the node restarts from its {@link LogStorage} with {@link
 * #RawNode(RaftConfig, LogStorage)}, and the committed entries after the latest snapshot are handed
 * out again, so applying must be idempotent (or the state machine restored from the snapshot).
 *
 * <p><b>Threading.</b> Not thread-safe: one thread (the EJB driver) owns the node. The core never
 * blocks, reads a clock, or does I/O.
 */
public final class RawNode {
  /** The id meaning "no node" (no leader, no vote). */
  public static final long NONE = 0;

  private final Raft raft;
  private SoftState prevSoft;
  private HardState prevHard;

  /** The Ready handed out and not yet advanced; null when idle. */
  private Ready outstanding;

  /**
   * Starts (or restarts) a node from its storage: hard state, snapshot (with the membership) and
   * log. A node of a new cluster starts from storage whose snapshot at index 0 lists the voters.
   *
   * @throws IllegalArgumentException if the configuration is invalid (naming the setting)
   * @throws IllegalStateException if the stored hard state contradicts the stored log
   */
  public RawNode(RaftConfig cfg, LogStorage storage) {
    raft = new Raft(cfg, storage);
    prevSoft = raft.softState();
    prevHard = storage.hardState();
  }

  /** Advances logical time by one tick: elections, heartbeats and check-quorum run on ticks. */
  public void tick() {
    checkIdle();
    raft.tick();
  }

  /**
   * Starts an election now (skipping the timeout but not pre-vote); used to bootstrap quickly.
   * No-op for learners, non-members and leaders.
   */
  public void campaign() {
    checkIdle();
    raft.hup(false);
  }

  /**
   * Handles a message received from another node. Messages for other terms, stale or duplicated
   * ones are handled or ignored as the protocol requires; the network may lose and reorder.
   *
   * @throws IllegalArgumentException if the message is not addressed to this node
   */
  public void step(Message m) {
    checkIdle();
    if (m.to() != raft.id) {
      throw new IllegalArgumentException("message for " + m.to() + " stepped into " + raft.id);
    }
    raft.step(m);
  }

  /**
   * Proposes one entry of application data. See {@link #propose(List)}.
   *
   * @return false if the proposal was dropped
   */
  public boolean propose(byte[] data) {
    return propose(List.of(data));
  }

  /**
   * Proposes entries (one per element), appended in order as a batch. On the leader they are
   * appended at once; a follower forwards them to its leader. Acceptance is no promise of commit:
   * the caller learns the outcome when (and if) the entries come back as committed entries.
   *
   * @return false if dropped: no known leader, candidate, leadership transfer in progress, or the
   *     leader's uncommitted backlog is full ({@link RaftConfig#maxUncommittedEntries})
   */
  public boolean propose(List<byte[]> data) {
    checkIdle();
    List<Entry> ents = new ArrayList<>(data.size());
    for (byte[] d : data) {
      ents.add(Entry.normal(0, 0, d));
    }
    return proposeEntries(ents);
  }

  /**
   * Proposes a single-server membership change. The leader refuses (returns false) while another
   * change is not yet applied, before it has applied an entry of its own term, and if the change is
   * invalid for the current membership. It takes effect on each node when applied (at {@link
   * #advance()}); a leader that removes itself then steps down.
   *
   * @return false if dropped; true only means it was appended or forwarded
   */
  public boolean proposeConfChange(ConfChange cc) {
    return proposeConfChange(cc, new byte[0]);
  }

  /**
   * Proposes a membership change carrying an application context (see {@link ConfChange#context}),
   * as {@link #proposeConfChange(ConfChange)}.
   */
  public boolean proposeConfChange(ConfChange cc, byte[] context) {
    checkIdle();
    return proposeEntries(List.of(new Entry(0, 0, EntryType.CONF_CHANGE, cc.encode(context))));
  }

  private boolean proposeEntries(List<Entry> ents) {
    if (raft.role == Role.LEADER) {
      return LeaderStep.propose(raft, ents);
    }
    if (raft.role != Role.FOLLOWER || raft.lead == NONE) {
      return false;
    }
    raft.send(Message.builder(MessageType.PROPOSE).to(raft.lead).entries(ents).build());
    return true;
  }

  /**
   * Requests a linearizable read point. When the leader has confirmed its leadership with a
   * heartbeat round (after committing an entry of its term), a {@link ReadState} with this context
   * appears in a later {@link Ready}. A follower forwards the request to its leader. Requests may
   * be lost (no leader, leader change): the caller retries after a timeout.
   *
   * @param context unique per request; returned unchanged in the read state
   */
  public void readIndex(byte[] context) {
    checkIdle();
    Message m = Message.builder(MessageType.READ_INDEX).from(raft.id).context(context).build();
    if (raft.role == Role.LEADER) {
      LeaderStep.readIndex(raft, m);
    } else if (raft.role == Role.FOLLOWER && raft.lead != NONE) {
      raft.send(m.toBuilder().to(raft.lead).build());
    }
  }

  /**
   * Asks the leader to hand leadership to voter {@code to}: it stops accepting proposals, catches
   * the target up, then tells it to campaign at once (TIMEOUT_NOW). Abandoned after an election
   * timeout. On a follower the request is forwarded to the leader.
   */
  public void transferLeadership(long to) {
    checkIdle();
    if (raft.role == Role.LEADER) {
      LeaderStep.transferLeadership(raft, to);
    } else if (raft.role == Role.FOLLOWER && raft.lead != NONE) {
      raft.send(Message.builder(MessageType.TRANSFER_LEADER).from(to).to(raft.lead).build());
    }
  }

  /** Returns whether {@link #ready()} would return anything. */
  public boolean hasReady() {
    return !raft.softState().equals(prevSoft)
        || !raft.hardState().equals(prevHard)
        || !raft.log.unstable.entries().isEmpty()
        || raft.log.unstable.snapshot != null
        || !raft.receivedChunks.isEmpty()
        || !raft.msgs.isEmpty()
        || !raft.readStates.isEmpty()
        || raft.log.hasNextCommittedEntries();
  }

  /**
   * Returns the next batch of work (see {@link Ready} for the order of handling). The caller must
   * call {@link #advance()} once it has handled it.
   *
   * @throws IllegalStateException if the previous Ready was not advanced
   */
  public Ready ready() {
    checkIdle();
    SoftState soft = raft.softState();
    HardState hard = raft.hardState();
    Ready rd =
        new Ready(
            soft.equals(prevSoft) ? null : soft,
            hard.equals(prevHard) ? null : hard,
            List.copyOf(raft.log.unstable.entries()),
            raft.receivedChunks,
            raft.log.unstable.snapshot,
            List.copyOf(raft.log.nextCommittedEntries()),
            raft.msgs,
            raft.readStates);
    raft.receivedChunks = new ArrayList<>();
    raft.msgs = new ArrayList<>();
    raft.readStates = new ArrayList<>();
    prevSoft = soft;
    outstanding = rd;
    return rd;
  }

  /**
   * Tells the node the last {@link Ready} was handled: its entries and snapshot are durable, its
   * committed entries applied. Conf changes among them take effect now.
   *
   * @throws IllegalStateException if there is no outstanding Ready
   */
  public void advance() {
    Ready rd = outstanding;
    if (rd == null) {
      throw new IllegalStateException("advance() without ready()");
    }
    outstanding = null;
    if (rd.hardState() != null) {
      prevHard = rd.hardState();
    }
    if (rd.snapshot() != null) {
      raft.log.unstable.stableSnapTo(rd.snapshot().index());
      raft.log.applied = Math.max(raft.log.applied, rd.snapshot().index());
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      raft.log.unstable.stableTo(last.index(), last.term());
    }
    if (!rd.committedEntries().isEmpty()) {
      for (Entry e : rd.committedEntries()) {
        if (e.type() == EntryType.CONF_CHANGE) {
          raft.applyConfChange(ConfChange.decode(e.data()));
        }
      }
      raft.log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
    }
  }

  private void checkIdle() {
    if (outstanding != null) {
      throw new IllegalStateException("advance() the outstanding Ready first");
    }
  }

  /** Returns this node's id. */
  public long id() {
    return raft.id;
  }

  /** Returns the current leader and role. */
  public SoftState softState() {
    return raft.softState();
  }

  /** Returns the current term, vote and commit index (possibly not yet persisted). */
  public HardState hardState() {
    return raft.hardState();
  }

  /** Returns the membership as of the applied index. */
  public ConfState confState() {
    return raft.prs.config;
  }

  /**
   * Returns, on the leader, each member's match index (the highest index known replicated on it,
   * the leader's own last index for itself); empty on other roles.
   */
  public Map<Long, Long> matchIndexes() {
    Map<Long, Long> out = new TreeMap<>();
    if (raft.role == Role.LEADER) {
      raft.prs.progress.forEach((id, pr) -> out.put(id, pr.match));
    }
    return out;
  }

  /** Returns the highest index handed out as committed and advanced past. */
  public long appliedIndex() {
    return raft.log.applied;
  }

  /** Returns the index of the last entry in the log (persisted or not). */
  public long lastIndex() {
    return raft.log.lastIndex();
  }
}
