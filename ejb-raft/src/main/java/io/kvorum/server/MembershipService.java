package io.kvorum.server;

import io.kvorum.kv.core.KvException;
import io.kvorum.member.MemberIds;
import io.kvorum.raft.core.ConfChange;
import io.kvorum.raft.core.ConfChangeType;
import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.RawNode;
import io.kvorum.raft.core.Role;
import io.kvorum.raft.core.SnapshotMetadata;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * etcd's Cluster service on one member: MemberList from the replicated membership, and MemberAdd /
 * MemberRemove / MemberUpdate / MemberPromote as changes through the Raft log, one in flight at a
 * time, each completing when this member applied it; MoveLeader; and the member's own attributes
 * (name, client URLs), published through the log after start as etcd publishes them.
 *
 * <p>Threading: the public methods may be called from any thread; everything touching the Raft node
 * or the membership state runs on the {@link KvServer}'s driver thread.
 */
public final class MembershipService {
  private static final Logger LOG = Logger.getLogger(MembershipService.class.getName());

  /** The outcome of a change: the member concerned and the members after it. */
  public record Result(MemberRecord member, List<MemberRecord> members) {}

  private record Change(
      long requestId, CompletableFuture<Result> future, ConfChange confChange, byte[] data) {}

  private final KvServer server;
  private final AtomicLong nextRequest = new AtomicLong(1);
  private final Map<Long, CompletableFuture<Result>> waiting = new ConcurrentHashMap<>();
  private final Map<Long, Long> lastHeard = new ConcurrentHashMap<>();

  private volatile MemberStore store = MemberStore.inMemory();
  private volatile MembershipState state;
  private String name = "";
  private List<String> clientUrls = List.of();
  private boolean strictReconfigCheck = true;
  private volatile long ticks;
  private volatile boolean removed;

  // Driver-thread state.
  private final Queue<Change> queue = new ArrayDeque<>();
  private Change inFlight;
  private long inFlightSince;
  private long nextPublish;
  private final Map<CompletableFuture<Void>, long[]> transfers = new HashMap<>();

  MembershipService(KvServer server) {
    this.server = server;
    this.state = new MembershipState(0, server.options.id(), 0, Map.of(), Set.of());
  }

  /**
   * Opens the membership: the stored state if there is one, otherwise {@code seed} (the initial
   * cluster, or what a joining member learnt from the running cluster), saved at once. Call before
   * the server starts.
   *
   * @param store where the state is kept
   * @param seed the state of a fresh data-dir
   * @param selfName the name this member publishes
   * @param selfClientUrls the client URLs this member publishes
   * @param strict etcd's strict-reconfig-check
   * @return the state in force
   */
  public MembershipState open(
      MemberStore store,
      MembershipState seed,
      String selfName,
      List<String> selfClientUrls,
      boolean strict) {
    this.store = store;
    MembershipState s = store.load();
    if (s == null) {
      s = seed;
      store.save(s);
    }
    state = s;
    removed = s.removed().contains(s.memberId()); // removed before a restart: stays removed
    name = selfName;
    clientUrls = List.copyOf(selfClientUrls);
    strictReconfigCheck = strict;
    return s;
  }

  /** The members as this member applied them, by id. */
  public List<MemberRecord> list() {
    return List.copyOf(state.members().values());
  }

  /** The membership state in force (ids, members, removed ids). */
  public MembershipState state() {
    return state;
  }

  /** Whether this member applied its own removal: it no longer serves. */
  public boolean removed() {
    return removed;
  }

  /** MemberAdd: a new voter or learner with these peer URLs and an id derived as etcd does. */
  public CompletableFuture<Result> add(List<String> peerUrls, boolean learner) {
    return submit(
        (s, request) -> {
          List<URI> uris = parse(peerUrls);
          long id = MemberIds.runtimeMemberId(uris, TimeUnit.MILLISECONDS.toSeconds(now()));
          if (s.members().containsKey(id) || s.removed().contains(id)) {
            throw MembershipRules.memberExists();
          }
          if (MembershipRules.peerUrlsTaken(s, peerUrls, 0)) {
            throw MembershipRules.peerUrlsExist();
          }
          if (learner && MembershipRules.learners(s) >= MembershipRules.MAX_LEARNERS) {
            throw MembershipRules.tooManyLearners();
          }
          if (strictReconfigCheck && !learner) {
            if (!MembershipRules.readyToAddVoter(s)) {
              throw MembershipRules.notEnoughStarted();
            }
            checkConnected(s);
          }
          MemberRecord m = new MemberRecord(id, "", peerUrls, List.of(), learner);
          return conf(learner ? ConfChangeType.ADD_LEARNER : ConfChangeType.ADD_VOTER, m, request);
        });
  }

  /** MemberRemove. Removing this member makes it stop serving once applied. */
  public CompletableFuture<Result> remove(long id) {
    return submit(
        (s, request) -> {
          MemberRecord m = s.members().get(id);
          if (m == null) {
            throw MembershipRules.notFound();
          }
          if (strictReconfigCheck && !m.learner()) {
            if (!MembershipRules.readyToRemoveVoter(s, id)) {
              throw MembershipRules.notEnoughStarted();
            }
            Set<Long> active = activeVoters(s);
            if ((id == s.memberId() || active.contains(id))
                && !MembershipRules.quorumSurvivesRemoval(
                    active, MembershipRules.voters(s).size(), true)) {
              throw MembershipRules.unhealthy();
            }
          }
          return conf(ConfChangeType.REMOVE_NODE, m, request);
        });
  }

  /** MemberPromote: a learner in sync with the leader becomes a voter. */
  public CompletableFuture<Result> promote(long id) {
    return submit(
        (s, request) -> {
          MemberRecord m = s.members().get(id);
          if (m == null) {
            throw MembershipRules.notFound();
          }
          if (!m.learner()) {
            throw MembershipRules.notLearner();
          }
          RawNode node = server.node;
          if (node.softState().role() != Role.LEADER) {
            // Only the leader knows how far the learner got (etcd then forwards to the leader).
            throw MembershipRules.notLeader();
          }
          Map<Long, Long> match = node.matchIndexes();
          long leaderMatch = match.getOrDefault(s.memberId(), 0L);
          if (match.getOrDefault(id, 0L) < leaderMatch * MembershipRules.LEARNER_READY_PERCENT) {
            throw MembershipRules.learnerNotReady();
          }
          if (strictReconfigCheck && !MembershipRules.readyToPromote(s)) {
            throw MembershipRules.notEnoughStarted();
          }
          return conf(ConfChangeType.PROMOTE_LEARNER, m.promoted(), request);
        });
  }

  /** MemberUpdate: new peer URLs for a member. */
  public CompletableFuture<Result> update(long id, List<String> peerUrls) {
    return submit(
        (s, request) -> {
          parse(peerUrls);
          MemberRecord m = s.members().get(id);
          if (m == null) {
            throw MembershipRules.notFound();
          }
          if (MembershipRules.peerUrlsTaken(s, peerUrls, id)) {
            throw MembershipRules.peerUrlsExist();
          }
          MemberEntry e =
              new MemberEntry(
                  MemberEntry.Kind.PEER_URLS, s.memberId(), request, m.withPeerUrls(peerUrls));
          return new Change(request, null, null, e.encodeEntry());
        });
  }

  /**
   * MoveLeader: this member, the leader, hands leadership to voter {@code target}; completes when
   * the target leads, fails after the request timeout.
   */
  public CompletableFuture<Void> moveLeader(long target) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    server.mailbox.add(
        () -> {
          MembershipState s = state;
          RawNode node = server.node;
          if (node.softState().role() != Role.LEADER) {
            f.completeExceptionally(MembershipRules.notLeader());
            return;
          }
          MemberRecord m = s.members().get(target);
          if (m == null || m.learner()) {
            f.completeExceptionally(MembershipRules.badTransferee());
            return;
          }
          transfer(f, target);
        });
    return f;
  }

  /**
   * Before a graceful stop: a leader hands leadership to its most caught-up voter and waits for it
   * (at most {@code timeoutMillis}), as etcd does, so the cluster does not wait for an election.
   *
   * @return whether another member leads now (false: not leader, no other voter, or timed out)
   */
  public boolean transferLeadershipBeforeStop(long timeoutMillis) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    server.mailbox.add(
        () -> {
          RawNode node = server.node;
          if (node.softState().role() != Role.LEADER) {
            f.completeExceptionally(MembershipRules.notLeader());
            return;
          }
          long best = RawNode.NONE;
          long bestMatch = -1;
          for (var e : node.matchIndexes().entrySet()) {
            if (e.getKey() != state.memberId()
                && node.confState().voters().contains(e.getKey())
                && e.getValue() > bestMatch) {
              best = e.getKey();
              bestMatch = e.getValue();
            }
          }
          if (best == RawNode.NONE) {
            f.completeExceptionally(MembershipRules.badTransferee());
            return;
          }
          LOG.info(
              "leader "
                  + MemberIds.hex(state.memberId())
                  + " stops: transferring to "
                  + MemberIds.hex(best));
          transfer(f, best);
        });
    // Polls the status rather than waiting for the future: the owner may have stopped ticking.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      while (System.nanoTime() < deadline && !f.isCompletedExceptionally()) {
        long leader = server.status().leader();
        if (leader != RawNode.NONE && leader != state.memberId()) {
          return true;
        }
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private void transfer(CompletableFuture<Void> f, long target) {
    if (server.node.softState().leader() == target) {
      f.complete(null);
      return;
    }
    server.node.transferLeadership(target);
    transfers.put(f, new long[] {target, ticks + server.options.requestTimeoutTicks()});
  }

  // ---- proposals (driver thread)

  private interface Validation {
    Change validate(MembershipState s, long requestId);
  }

  private CompletableFuture<Result> submit(Validation v) {
    CompletableFuture<Result> f = new CompletableFuture<>();
    long requestId = nextRequest.getAndIncrement();
    server.mailbox.add(
        () -> {
          try {
            Change c = v.validate(state, requestId);
            waiting.put(requestId, f);
            queue.add(new Change(requestId, f, c.confChange(), c.data()));
            proposeNext();
          } catch (RuntimeException e) { // etcd's errors, or a bug: never the driver's end
            f.completeExceptionally(e);
          }
        });
    return f;
  }

  private Change conf(ConfChangeType type, MemberRecord m, long requestId) {
    MemberEntry ctx = new MemberEntry(MemberEntry.Kind.CONF_CHANGE, state.memberId(), requestId, m);
    ConfChange cc = new ConfChange(type, m.id());
    return new Change(requestId, null, cc, ctx.encodeContext());
  }

  private static List<URI> parse(List<String> urls) {
    List<URI> out = new ArrayList<>();
    try {
      for (String u : urls) {
        URI uri = new URI(u);
        if (uri.getHost() == null || !Set.of("http", "https").contains(uri.getScheme())) {
          throw MembershipRules.badUrls();
        }
        out.add(uri);
      }
    } catch (java.net.URISyntaxException e) {
      throw MembershipRules.badUrls();
    }
    if (out.isEmpty()) {
      throw MembershipRules.badUrls();
    }
    return out;
  }

  /** etcd's isConnectedFullySince on the leader: every voter was heard from recently. */
  private void checkConnected(MembershipState s) {
    if (activeVoters(s).size() < MembershipRules.voters(s).size()) {
      throw MembershipRules.unhealthy();
    }
  }

  /** Voters heard from within an election timeout (this member always counts). */
  private Set<Long> activeVoters(MembershipState s) {
    // Only the leader hears from every voter; a follower cannot tell and counts them all.
    boolean leader = server.node.softState().role() == Role.LEADER;
    Set<Long> active = new HashSet<>();
    for (MemberRecord m : MembershipRules.voters(s)) {
      Long heard = lastHeard.get(m.id());
      if (!leader
          || m.id() == s.memberId()
          || (heard != null && ticks - heard <= server.options.electionTicks())) {
        active.add(m.id());
      }
    }
    return active;
  }

  private void proposeNext() {
    if (inFlight == null) {
      inFlight = queue.poll();
      if (inFlight == null) {
        return;
      }
    } else if (ticks - inFlightSince < 2L * server.options.electionTicks()) {
      return;
    }
    // (Re)propose: a forwarded proposal or one the leader refused may be lost; applying a change
    // twice is harmless (the second finds it done), and only the first completes the caller.
    inFlightSince = ticks;
    RawNode node = server.node;
    if (inFlight.confChange() != null) {
      node.proposeConfChange(inFlight.confChange(), inFlight.data());
    } else {
      node.propose(inFlight.data());
    }
  }

  // ---- driver-thread hooks

  /** A message arrived from {@code member} (any thread): it counts as connected. */
  void heard(long member) {
    lastHeard.put(member, ticks);
  }

  /** Every tick: retries, timeouts, finished transfers, publishing this member's attributes. */
  void onTick() {
    ticks++;
    RawNode node = server.node;
    long leader = node.softState().leader();
    transfers
        .entrySet()
        .removeIf(
            e -> {
              if (leader == e.getValue()[0]) {
                e.getKey().complete(null);
              } else if (ticks > e.getValue()[1]) {
                e.getKey().completeExceptionally(MembershipRules.transferTimedOut());
              } else {
                return false;
              }
              return true;
            });
    if (inFlight != null && !waiting.containsKey(inFlight.requestId())) {
      inFlight = null; // completed or timed out
    }
    if (ticks % 10 == 0) {
      expire();
    }
    catchUpWithSnapshot(server.log.snapshot());
    proposeNext();
    publishAttributes(node, leader);
  }

  /**
   * A snapshot was installed (driver thread): take the membership recorded with it, so members
   * added in the range it covers are known by name and URLs, not by id only.
   */
  void installSnapshot(long index, ConfState cs, byte[] recorded) {
    if (recorded != null && index > state.appliedIndex()) {
      commit(state.afterSnapshot(index, cs, MembershipState.decode(recorded)), null, null);
    }
  }

  /** The log's snapshot covers membership entries this member never applied: catch up. */
  private void catchUpWithSnapshot(SnapshotMetadata snap) {
    if (snap.index() > state.appliedIndex()) {
      commit(state.afterSnapshot(snap.index(), snap.confState()), null, null);
    }
  }

  private void expire() {
    long deadline = server.options.requestTimeoutTicks();
    if (inFlight != null && ticks - inFlightSince > deadline) {
      fail(inFlight.requestId(), timedOut());
      inFlight = null;
    }
  }

  private KvException timedOut() {
    return new KvException(
        KvException.Code.UNAVAILABLE,
        server.node.softState().leader() == RawNode.NONE
            ? "etcdserver: no leader"
            : "etcdserver: request timed out");
  }

  private void publishAttributes(RawNode node, long leader) {
    MemberRecord self = state.members().get(state.memberId());
    if (self == null
        || removed
        || leader == RawNode.NONE
        || ticks < nextPublish
        || (self.name().equals(name) && self.clientUrls().equals(clientUrls))) {
      return;
    }
    nextPublish = ticks + 2L * server.options.electionTicks();
    MemberEntry e =
        new MemberEntry(
            MemberEntry.Kind.ATTRIBUTES,
            state.memberId(),
            0,
            self.withAttributes(name, clientUrls));
    node.propose(e.encodeEntry());
  }

  /**
   * Applies a committed conf-change entry, as the core applies it to the conf state; returns it.
   * Applying this member's own removal stops the server (etcd: "the member has been permanently
   * removed from the cluster").
   */
  ConfChange applyConfChange(long index, byte[] data) {
    ConfChange cc = ConfChange.decode(data);
    MemberEntry ctx = MemberEntry.decodeContext(ConfChange.context(data));
    MembershipState s = state;
    if (index <= s.appliedIndex()) {
      return cc; // replayed after a restart
    }
    Map<Long, MemberRecord> members = new TreeMap<>(s.members());
    Set<Long> gone = new HashSet<>(s.removed());
    long id = cc.nodeId();
    MemberRecord m = members.get(id);
    switch (cc.type()) {
      case ADD_VOTER, ADD_LEARNER -> {
        boolean learner = cc.type() == ConfChangeType.ADD_LEARNER;
        if (m == null) {
          m =
              ctx != null
                  ? new MemberRecord(
                      id, "", ctx.member().peerUrls(), ctx.member().clientUrls(), learner)
                  : new MemberRecord(id, "", List.of(), List.of(), learner);
          members.put(id, m);
        }
      }
      case PROMOTE_LEARNER -> {
        if (m != null && m.learner()) {
          m = m.promoted();
          members.put(id, m);
        }
      }
      case REMOVE_NODE -> {
        if (m != null && !(members.size() == 1)) {
          members.remove(id);
          gone.add(id);
          if (id == s.memberId()) {
            removed = true;
            server.running = false;
            LOG.warning("the member has been permanently removed from the cluster");
          }
        }
      }
    }
    commit(s.with(index, members, gone), ctx, m);
    return cc;
  }

  /**
   * Applies a committed normal entry if it is a membership entry (attributes, peer URLs).
   *
   * @return whether it was one (else it is an {@link Envelope} for the store)
   */
  boolean applyEntry(long index, byte[] data) {
    if (!MemberEntry.isMemberEntry(data)) {
      return false;
    }
    MemberEntry e = MemberEntry.decodeEntry(data);
    MembershipState s = state;
    if (index <= s.appliedIndex()) {
      return true;
    }
    Map<Long, MemberRecord> members = new TreeMap<>(s.members());
    MemberRecord m = members.get(e.member().id());
    if (m != null) {
      m =
          e.kind() == MemberEntry.Kind.ATTRIBUTES
              ? m.withAttributes(e.member().name(), e.member().clientUrls())
              : m.withPeerUrls(e.member().peerUrls());
      members.put(m.id(), m);
    }
    commit(s.with(index, members, s.removed()), e, m);
    return true;
  }

  private void commit(MembershipState next, MemberEntry e, MemberRecord m) {
    store.save(next);
    state = next;
    if (e == null || e.origin() != next.memberId() || e.requestId() == 0) {
      return;
    }
    CompletableFuture<Result> f = waiting.remove(e.requestId());
    if (f == null) {
      return;
    }
    if (inFlight != null && inFlight.requestId() == e.requestId()) {
      inFlight = null;
    }
    Result r = new Result(m != null ? m : e.member(), list());
    server.responses.execute(() -> f.complete(r));
    proposeNext();
  }

  private void fail(long requestId, KvException error) {
    CompletableFuture<Result> f = waiting.remove(requestId);
    if (f != null) {
      server.responses.execute(() -> f.completeExceptionally(error));
    }
  }

  /** The server stopped: every waiting caller fails. */
  void close(KvException error) {
    List.copyOf(waiting.keySet()).forEach(id -> fail(id, error));
    transfers.keySet().forEach(f -> f.completeExceptionally(error));
  }

  private long now() {
    return server.options.clock().getAsLong();
  }
}
