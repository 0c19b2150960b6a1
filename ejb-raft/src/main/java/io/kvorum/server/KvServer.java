package io.kvorum.server;

import io.kvorum.kv.core.AutoCompactor;
import io.kvorum.kv.core.CommittedEntry;
import io.kvorum.kv.core.KvException;
import io.kvorum.kv.core.KvRequest;
import io.kvorum.kv.core.KvResponse;
import io.kvorum.kv.core.LeaseRevokeRequest;
import io.kvorum.kv.core.LeaseTimeToLiveResponse;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.RangeRequest;
import io.kvorum.kv.core.RangeResponse;
import io.kvorum.raft.core.ConfChange;
import io.kvorum.raft.core.ConfChangeType;
import io.kvorum.raft.core.DurableLog;
import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.EntryType;
import io.kvorum.raft.core.Message;
import io.kvorum.raft.core.MessageCodec;
import io.kvorum.raft.core.RaftConfig;
import io.kvorum.raft.core.RawNode;
import io.kvorum.raft.core.ReadState;
import io.kvorum.raft.core.Ready;
import io.kvorum.raft.core.Role;
import io.kvorum.raft.transport.Transport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One member's server: the Raft core, its durable log, the MVCC store and the peer transport,
 * driven by one thread. Callers on any thread propose requests and read; the driver thread alone
 * touches the {@link RawNode}, and handles each {@link Ready} in the order the core requires:
 * persist, send, apply (completing the callers waiting on this member), serve reads, advance.
 *
 * <p>Writes go through the log (a follower forwards its proposals to the leader); linearizable
 * reads use ReadIndex and are served locally once this member has applied up to the read index;
 * serializable reads are served locally at once. Lease expiry is decided by the leader and proposed
 * through the log, so every member revokes the same leases at the same revision.
 *
 * <p>Time is ticks: the owner calls {@link #tick()} every heartbeat interval (an EJB timer in the
 * product).
 */
public final class KvServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KvServer.class.getName());
  private static final int MAX_TASKS_PER_TURN = 4096;

  /** The member's view of Raft, refreshed after every Ready. */
  public record Status(
      long id, long leader, long term, Role role, long commitIndex, long appliedIndex) {}

  final ServerOptions options;
  final DurableLog log;
  private final MvccStore store;
  private final Transport transport;
  final Executor responses;
  final RawNode node;
  private final Thread driver;
  private final LeaseRenewal leaseRenewal;
  private final MembershipService membership;

  final BlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Proposal> proposals = new ConcurrentLinkedQueue<>();
  private final Map<Long, Waiter<KvResponse>> writes = new ConcurrentHashMap<>();
  private final Map<Long, Waiter<Long>> reads = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final ServerMetrics metrics = new ServerMetrics(writes::size);

  // Driver-thread state.
  private long ticks;
  private long appliedIndex;
  private Role role = Role.FOLLOWER;
  private final ReadIndexBatches readBatches = new ReadIndexBatches();

  /** Proposals the core refused for want of a leader, in order, with their request ids. */
  private final List<byte[]> stalled = new ArrayList<>();

  private final List<Long> stalledIds = new ArrayList<>();

  private volatile Status status;
  volatile boolean running;

  private final StoreSnapshots snapshots;
  private final LeaderDuties duties;
  private final ApplyPipeline applier;

  private record Waiter<T>(CompletableFuture<T> future, long deadlineTick) {}

  private record Proposal(long id, byte[] data) {}

  /**
   * @param options ids, tick counts, timeouts
   * @param log the member's durable Raft log, already bootstrapped or recovered
   * @param store the MVCC store, opened on the member's backend
   * @param transport the peer transport; started by {@link #start()}
   * @param threads where the driver thread comes from (a ManagedThreadFactory in the container)
   * @param responses where callers' futures are completed, off the driver thread
   */
  public KvServer(
      ServerOptions options,
      DurableLog log,
      MvccStore store,
      Transport transport,
      ThreadFactory threads,
      Executor responses) {
    this.options = options;
    this.log = log;
    this.store = store;
    this.transport = transport;
    this.responses = responses;
    RaftConfig cfg =
        RaftConfig.of(options.id(), new Random(options.seed()))
            .electionTick(options.electionTicks())
            .heartbeatTick(options.heartbeatTicks())
            .preVote(options.preVote())
            .checkQuorum(true)
            .validate();
    this.snapshots = new StoreSnapshots(options.id(), log, store);
    this.duties = new LeaderDuties(options, store, responses);
    if (snapshots.storeBehindLog()) {
      // A snapshot was installed in the log but the store's restore did not finish: redo it.
      snapshots.restoreStore();
    }
    this.node = new RawNode(cfg, log);
    this.appliedIndex = store.appliedIndex();
    this.applier =
        new ApplyPipeline(
            store,
            threads,
            "kvorum-apply-" + Long.toHexString(options.id()),
            index -> mailbox.add(() -> onApplied(index)),
            this::stopOnStorageFailure);
    this.membership = new MembershipService(this);
    this.driver = threads.newThread(this::run);
    this.leaseRenewal = new LeaseRenewal(store.lessor(), this::propose, options.clock());
    driver.setName("kvorum-raft-" + Long.toHexString(options.id()));
    refreshStatus();
  }

  /**
   * Turns on auto-compaction ({@code auto-compaction-mode}/{@code -retention}): the leader proposes
   * the compactions it decides, so every member compacts at the same revision. Call before {@link
   * #start()}; null turns it off.
   */
  public void setAutoCompactor(AutoCompactor compactor) {
    duties.setAutoCompactor(compactor);
  }

  /**
   * Snapshots the store into the Raft log, dropping the entries it covers, every {@code count}
   * applied entries ({@code snapshot-count}; 0 never). Call before {@link #start()}.
   */
  public void setSnapshotCount(long count) {
    snapshots.setCount(count);
  }

  /** Starts receiving peer messages and driving the core. */
  public void start() {
    running = true;
    for (long peer : node.confState().voters()) {
      transport.addPeer(peer);
    }
    for (long peer : node.confState().learners()) {
      transport.addPeer(peer);
    }
    transport.start(
        (from, bytes) -> {
          Message m;
          try {
            m = MessageCodec.decode(bytes);
          } catch (RuntimeException e) {
            LOG.log(Level.FINE, "undecodable message from " + Long.toHexString(from), e);
            return;
          }
          membership.heard(from);
          mailbox.add(() -> node.step(m));
        });
    applier.start();
    driver.start();
  }

  /** Advances Raft's logical clock by one tick. Thread-safe; called every heartbeat interval. */
  public void tick() {
    mailbox.add(this::onTick);
  }

  /**
   * Proposes a write (put, delete, txn, compaction, lease grant/revoke, alarm) and completes with
   * its result once this member has applied it.
   *
   * @return a future failing with {@link KvException} for etcd's apply errors, or {@code
   *     UNAVAILABLE} "etcdserver: no leader" / "etcdserver: request timed out" when it was not
   *     applied within the request timeout
   */
  public CompletableFuture<KvResponse> propose(KvRequest request) {
    CompletableFuture<KvResponse> f = new CompletableFuture<>();
    if (!running || membership.removed()) {
      f.completeExceptionally(stopped());
      return f;
    }
    long id = nextId.getAndIncrement();
    writes.put(id, new Waiter<>(f, ticks + options.requestTimeoutTicks()));
    proposals.add(new Proposal(id, new Envelope(options.id(), id, request).encode()));
    mailbox.add(() -> {});
    return f;
  }

  /**
   * Reads keys: at once from the local store when {@code r.serializable()}, otherwise after a
   * ReadIndex round (linearizable).
   */
  public CompletableFuture<RangeResponse> range(RangeRequest r) {
    if (r.serializable()) {
      return CompletableFuture.supplyAsync(() -> store.range(r), responses);
    }
    return readIndex().thenApplyAsync(i -> store.range(r), responses);
  }

  /**
   * Completes with a read index once this member has applied up to it: from then on a local read is
   * linearizable.
   */
  public CompletableFuture<Long> readIndex() {
    CompletableFuture<Long> f = new CompletableFuture<>();
    long id = nextId.getAndIncrement();
    reads.put(id, new Waiter<>(f, ticks + options.requestTimeoutTicks()));
    readBatches.enqueue(id);
    mailbox.add(() -> {});
    return f;
  }

  /**
   * LeaseKeepAlive: renews the lease on the leader, locally there and through the log from any
   * other member (see {@link LeaseRenewal}).
   *
   * @return a future with the lease's TTL, 0 for an unknown or expired lease
   */
  public CompletableFuture<Long> leaseRenew(long id) {
    return leaseRenewal.renew(id);
  }

  /**
   * LeaseTimeToLive after a ReadIndex round, so a lease granted anywhere before the call is seen
   * (etcd forwards the call to the leader): the leader's timer on the leader, the last checkpointed
   * remaining TTL elsewhere (see {@link io.kvorum.kv.core.Lessor#timeToLive}).
   */
  public CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(long id, boolean keys) {
    return readIndex()
        .thenApplyAsync(
            i -> store.leaseTimeToLive(id, keys, options.clock().getAsLong()), responses);
  }

  /** The latest status (leader, term, indexes); cheap, any thread. */
  public Status status() {
    return status;
  }

  /** The counters behind {@code /metrics}. */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** The membership: MemberList/Add/Remove/Update/Promote, MoveLeader. */
  public MembershipService membership() {
    return membership;
  }

  /** The member's MVCC store (for local reads, watches, hashes). */
  public MvccStore store() {
    return store;
  }

  /** Stops the driver and the transport; waiting callers fail with "server stopped". */
  @Override
  public void close() {
    running = false;
    driver.interrupt();
    try {
      driver.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    applier.close();
    transport.close();
    writes.values().forEach(w -> w.future().completeExceptionally(stopped()));
    reads.values().forEach(w -> w.future().completeExceptionally(stopped()));
    writes.clear();
    reads.clear();
    membership.close(stopped());
  }

  private static KvException stopped() {
    return new KvException(KvException.Code.UNAVAILABLE, "etcdserver: server stopped");
  }

  // ---- the driver thread

  private void run() {
    try {
      while (running) {
        Runnable task = mailbox.poll(100, TimeUnit.MILLISECONDS);
        for (int n = 0; task != null && n < MAX_TASKS_PER_TURN; n++) {
          task.run();
          task = n + 1 < MAX_TASKS_PER_TURN ? mailbox.poll() : null;
        }
        drainProposals();
        byte[] readContext = readBatches.nextBatch(nextId::getAndIncrement, ticks);
        if (readContext != null) {
          node.readIndex(readContext);
        }
        while (node.hasReady()) {
          handle(node.ready());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      stopOnStorageFailure(e);
    }
  }

  /** A storage failure: nothing more may be promised. The owner restarts the member. */
  private void stopOnStorageFailure(Throwable e) {
    LOG.log(Level.SEVERE, "member " + Long.toHexString(options.id()) + " stopped", e);
    running = false;
    driver.interrupt();
  }

  private void onApplied(long index) {
    if (index > appliedIndex) {
      appliedIndex = index;
      completeReadsUpToApplied();
      refreshStatus();
    }
  }

  /**
   * Hands queued proposals to the core in one batch. Without a known leader the core refuses them;
   * they wait (retried every turn) until a leader appears or their callers time out.
   */
  private void drainProposals() {
    Proposal p;
    while ((p = proposals.poll()) != null) {
      stalled.add(p.data());
      stalledIds.add(p.id());
    }
    if (stalled.isEmpty()) {
      return;
    }
    for (int i = stalled.size() - 1; i >= 0; i--) {
      if (!writes.containsKey(stalledIds.get(i))) { // timed out meanwhile
        stalled.remove(i);
        stalledIds.remove(i);
      }
    }
    if (!stalled.isEmpty() && node.propose(new ArrayList<>(stalled))) {
      stalled.clear();
      stalledIds.clear();
    }
  }

  private void onTick() {
    ticks++;
    node.tick();
    if (ticks % 10 == 0) {
      metrics.proposalsFailed(expire(writes));
      expire(reads);
      retryReads();
    }
    if (role == Role.LEADER) {
      List<byte[]> owed = duties.proposals();
      if (!owed.isEmpty()) {
        node.propose(owed);
      }
    }
    if (ticks % 5 == 0) {
      duties.removeCompactedRevisions();
    }
    membership.onTick();
  }

  /** Fails the waiters whose deadline passed; returns how many. */
  private <T> int expire(Map<Long, Waiter<T>> waiters) {
    KvException timedOut =
        new KvException(
            KvException.Code.UNAVAILABLE,
            node.softState().leader() == RawNode.NONE
                ? "etcdserver: no leader"
                : "etcdserver: request timed out");
    int[] expired = {0};
    waiters
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue().deadlineTick() > ticks) {
                return false;
              }
              fail(e.getValue(), timedOut);
              expired[0]++;
              return true;
            });
    return expired[0];
  }

  /** Re-sends read batches unanswered for an election timeout (the core does not retry). */
  private void retryReads() {
    for (byte[] context : readBatches.due(ticks, options.electionTicks(), reads::containsKey)) {
      node.readIndex(context);
    }
  }

  private void handle(Ready rd) throws InterruptedException {
    if (rd.softState() != null) {
      onRoleChange(rd.softState().role());
      metrics.leader(rd.softState().leader());
    }
    // A leader sends its appends while it persists them (Raft thesis 10.2.1); acknowledgements are
    // stepped after this Ready, so nothing commits before the leader's copy is durable. Others
    // persist first: votes and acknowledgements promise durable state (docs/cluster-runtime.md).
    boolean sendFirst = node.softState().role() == Role.LEADER;
    if (sendFirst) {
      send(rd.messages());
    }
    if (rd.mustPersist()) {
      long start = System.nanoTime();
      log.persist(rd);
      metrics.logPersisted(System.nanoTime() - start);
    }
    if (rd.snapshot() != null) {
      applier.drain();
      installSnapshot(rd.snapshot().index());
    }
    if (!sendFirst) {
      send(rd.messages());
    }
    apply(rd.committedEntries());
    for (ReadState rs : rd.readStates()) {
      readBatches.answered(
          rs.context(), rs.index(), appliedIndex, id -> complete(reads.remove(id), appliedIndex));
    }
    node.advance();
    if (rd.snapshot() != null) {
      syncPeers();
    }
    if (snapshots.isDue(appliedIndex)) {
      applier.drain(); // the store, the log's snapshot and the ConfState at one index
      MembershipState members = membership.state(); // null when the owner never opened it
      snapshots.createIfDue(
          applier.applied(), node.confState(), members == null ? null : members.encode());
    }
    refreshStatus();
  }

  /**
   * The log now holds the leader's snapshot (persisted above): replace the store's state with it.
   * Reads waiting for an index it covers can be served; proposals it covers were applied elsewhere
   * and their callers here time out, as etcd's do.
   */
  private void installSnapshot(long index) {
    byte[] recorded = snapshots.restoreStore();
    membership.installSnapshot(index, log.snapshot().confState(), recorded);
    applier.reset(index);
    appliedIndex = index;
    completeReadsUpToApplied();
  }

  /** After a snapshot changed the membership wholesale: one transport peer per member. */
  private void syncPeers() {
    var members = new java.util.HashSet<Long>(node.confState().voters());
    members.addAll(node.confState().learners());
    for (long peer : members) {
      transport.addPeer(peer);
    }
  }

  private void send(List<Message> messages) {
    for (Message m : messages) {
      transport.send(m.to(), MessageCodec.encode(m));
    }
  }

  private void onRoleChange(Role now) {
    if (now == Role.LEADER && role != Role.LEADER) {
      store.lessor().promote(options.clock().getAsLong());
      duties.becameLeader();
    } else if (now != Role.LEADER && role == Role.LEADER) {
      store.lessor().demote();
    }
    role = now;
  }

  /**
   * Decodes committed entries and hands them to the applier; a membership change waits until it is
   * applied, so that the core's ConfState (changed at advance) never runs ahead of the store.
   */
  private void apply(List<Entry> entries) throws InterruptedException {
    if (entries.isEmpty()) {
      return;
    }
    List<CommittedEntry> batch = new ArrayList<>(entries.size());
    Map<Long, Long> waiterAt = new HashMap<>();
    List<ConfChange> confChanges = new ArrayList<>();
    for (Entry e : entries) {
      if (e.type() == EntryType.CONF_CHANGE) {
        confChanges.add(membership.applyConfChange(e.index(), e.data()));
        batch.add(new CommittedEntry(e.index(), null));
      } else if (e.data().length == 0 || membership.applyEntry(e.index(), e.data())) {
        batch.add(new CommittedEntry(e.index(), null)); // a new leader's empty entry, membership
      } else {
        Envelope env = Envelope.decode(e.data());
        if (env.origin() == options.id() && env.requestId() != 0) {
          waiterAt.put(e.index(), env.requestId());
        }
        if (env.request() instanceof LeaseRevokeRequest r) {
          duties.revoked(r.id());
        }
        batch.add(new CommittedEntry(e.index(), env.request()));
      }
    }
    applier.submit(
        batch,
        results -> {
          for (var result : results) {
            Long id = waiterAt.get(result.index());
            if (id != null) {
              Waiter<KvResponse> w = writes.remove(id);
              if (result.error() != null) {
                fail(w, result.error());
              } else {
                complete(w, result.response());
              }
            }
          }
        });
    if (!confChanges.isEmpty()) {
      applier.drain();
    }
    for (ConfChange cc : confChanges) {
      if (cc.nodeId() == options.id()) {
        continue;
      }
      if (cc.type() == ConfChangeType.REMOVE_NODE) {
        transport.removePeer(cc.nodeId());
      } else {
        transport.addPeer(cc.nodeId());
      }
    }
  }

  private void completeReadsUpToApplied() {
    readBatches.applied(appliedIndex, id -> complete(reads.remove(id), appliedIndex));
  }

  private <T> void complete(Waiter<T> w, T value) {
    if (w != null) {
      responses.execute(() -> w.future().complete(value));
    }
  }

  private void fail(Waiter<?> w, Throwable t) {
    if (w != null) {
      responses.execute(() -> w.future().completeExceptionally(t));
    }
  }

  private void refreshStatus() {
    var soft = node.softState();
    status =
        new Status(
            options.id(),
            soft.leader(),
            node.hardState().term(),
            soft.role(),
            node.hardState().commit(),
            appliedIndex);
  }
}
