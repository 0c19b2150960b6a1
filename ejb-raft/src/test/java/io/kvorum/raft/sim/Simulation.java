package io.kvorum.raft.sim;

import io.kvorum.raft.core.ConfChange;
import io.kvorum.raft.core.ConfChangeType;
import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.MemoryLogStorage;
import io.kvorum.raft.core.Message;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * One deterministic simulation run: N voters plus one spare node, one seeded PRNG, simulated time
 * in units (a tick every 10 units), a faulty network, crashes with loss of unpersisted state,
 * membership changes and leader transfers during faults, client proposals and ReadIndex reads.
 * After the fault phase everything heals and the run must elect a leader and commit a new proposal
 * within a bounded time; then every member must converge.
 */
final class Simulation {
  static final int TICK = 10;

  final long seed;
  final Random random;
  final SafetyChecker checker = new SafetyChecker();
  final SimNetwork network;
  final TreeMap<Long, SimNode> nodes = new TreeMap<>();
  final int voters;

  // Knobs drawn per seed.
  /** Probability that a node crashes before persisting a Ready; 0 once the faults heal. */
  double crashBeforePersistRate;

  final long maxSizePerMsg;
  final int maxInflight;
  final int snapshotEvery;
  final long maxUncommitted;
  private final double faultRate;

  private final boolean tracing;
  private final ArrayDeque<String> trace = new ArrayDeque<>();
  private long nextClientId = 1;
  private long readsServed;
  private long proposals;
  long snapshotsInstalled;
  private long livenessMarker;
  private boolean livenessCommitted;

  Simulation(long seed, boolean tracing) {
    this(seed, tracing, false);
  }

  /**
   * @param harsh multiplies loss (up to 40 %), duplication (up to 20 %), delays (up to 100 units),
   *     crashes before persisting (up to 5 % of Readies) and the fault rate (up to 5x)
   */
  Simulation(long seed, boolean tracing, boolean harsh) {
    this.seed = seed;
    this.tracing = tracing;
    this.random = new Random(seed);
    this.voters = seed % 2 == 0 ? 3 : 5;
    this.network = new SimNetwork(random);
    network.dropRate = random.nextDouble() * 0.2;
    network.duplicateRate = random.nextDouble() * 0.05;
    network.maxDelay = 2 + random.nextInt(40);
    double crashRate = random.nextDouble() * 0.01;
    maxSizePerMsg = 64 + random.nextInt(2000);
    maxUncommitted = 20 + random.nextInt(200);
    maxInflight = 1 + random.nextInt(8);
    snapshotEvery = 10 + random.nextInt(80);
    double faults = 0.004 + random.nextDouble() * 0.012;
    if (harsh) {
      network.dropRate *= 2;
      network.duplicateRate *= 4;
      network.maxDelay = 2 + random.nextInt(100);
      crashRate *= 5;
      faults *= 1 + random.nextInt(5);
    }
    crashBeforePersistRate = crashRate;
    faultRate = faults;
    Long[] ids = new Long[voters];
    for (int i = 0; i < voters; i++) {
      ids[i] = (long) i + 1;
    }
    for (long id : ids) {
      nodes.put(id, new SimNode(id, MemoryLogStorage.bootstrap(ids), this));
    }
    long spare = voters + 1;
    nodes.put(spare, new SimNode(spare, new MemoryLogStorage(), this));
  }

  void trace(long now, String s) {
    if (tracing) {
      trace.addLast(now + ": " + s);
      if (trace.size() > 400) {
        trace.removeFirst();
      }
    }
  }

  String traceTail() {
    return String.join("\n", trace);
  }

  boolean countRead() {
    readsServed++;
    return true;
  }

  void onApplied(Entry e) {
    if (e.data().length == 8 && ByteBuffer.wrap(e.data()).getLong() == livenessMarker) {
      livenessCommitted = true;
    }
  }

  /** Runs the whole scenario; throws AssertionError on a safety or liveness violation. */
  String run(int faultUnits, int healBound) {
    long now = 0;
    for (SimNode n : nodes.values()) {
      n.handleReady(now);
    }
    for (; now < faultUnits; now++) {
      step(now, true);
    }
    // Heal: links, loss, crashed nodes.
    network.healLinks();
    network.dropRate = 0;
    network.duplicateRate = 0;
    crashBeforePersistRate = 0;
    trace(now, "heal");
    for (SimNode n : nodes.values()) {
      if (!n.up) {
        n.restart(now);
      }
    }
    long healedAt = now;
    livenessMarker = Long.MIN_VALUE + random.nextInt(1000);
    long deadline = healedAt + healBound;
    for (; !livenessCommitted; now++) {
      if (now > deadline) {
        throw new AssertionError(
            "liveness: no proposal committed within "
                + healBound
                + " units after healing; "
                + describe());
      }
      if ((now - healedAt) % (5 * TICK) == 0) {
        // The client retries until the proposal commits, as a real one would.
        SimNode leader = leader();
        if (leader != null) {
          leader.node.propose(ByteBuffer.allocate(8).putLong(livenessMarker).array());
          leader.handleReady(now);
        }
      }
      step(now, false);
    }
    // Convergence: every member of the leader's membership applies everything committed.
    long target = checker.maxApplied;
    for (long end = now + healBound; !converged(target); now++) {
      if (now > end) {
        throw new AssertionError("members did not converge on index " + target + "; " + describe());
      }
      step(now, false);
    }
    return String.format(
        "seed %d: %d voters, %d elections, %d proposals, %d reads, applied %d, %d conf changes,"
            + " %d snapshots installed, %d msgs (%d lost)",
        seed,
        voters,
        checker.leaderElections,
        proposals,
        readsServed,
        checker.maxApplied,
        checker.confChanges - voters,
        snapshotsInstalled,
        network.sent,
        network.dropped);
  }

  private boolean converged(long target) {
    SimNode leader = leader();
    if (leader == null) {
      return false;
    }
    ConfState cs = leader.node.confState();
    for (SimNode n : nodes.values()) {
      if (cs.isMember(n.id) && n.node.appliedIndex() < target) {
        return false;
      }
    }
    return true;
  }

  private String describe() {
    StringBuilder s = new StringBuilder();
    for (SimNode n : nodes.values()) {
      s.append(
          String.format(
              "%n  node %d up=%s %s %s applied=%d last=%d conf=%s",
              n.id,
              n.up,
              n.node.softState(),
              n.node.hardState(),
              n.node.appliedIndex(),
              n.node.lastIndex(),
              n.node.confState()));
    }
    return s.toString();
  }

  SimNode leader() {
    SimNode best = null;
    for (SimNode n : nodes.values()) {
      if (n.isLeader()
          && (best == null || n.node.hardState().term() > best.node.hardState().term())) {
        best = n;
      }
    }
    return best;
  }

  private void step(long now, boolean faults) {
    for (Message m; (m = network.poll(now)) != null; ) {
      SimNode to = nodes.get(m.to());
      if (to != null && to.up) {
        if (tracing
            && m.type() != io.kvorum.raft.core.MessageType.HEARTBEAT
            && m.type() != io.kvorum.raft.core.MessageType.HEARTBEAT_RESP) {
          trace(now, "deliver " + m);
        }
        to.node.step(m);
        to.handleReady(now);
      }
    }
    for (SimNode n : nodes.values()) {
      if (!n.up && now >= n.restartAt && n.restartAt > 0) {
        n.restart(now);
      }
      // Nodes tick at different phases, as independent timers would.
      if (n.up && (now + n.id) % TICK == 0) {
        n.node.tick();
        n.handleReady(now);
      }
    }
    if (random.nextDouble() < 0.04) {
      propose(now);
    }
    if (random.nextDouble() < 0.01) {
      read(now);
    }
    if (faults && random.nextDouble() < faultRate) {
      fault(now);
    }
  }

  private SimNode randomUpNode() {
    List<SimNode> up = new ArrayList<>();
    for (SimNode n : nodes.values()) {
      if (n.up) {
        up.add(n);
      }
    }
    return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
  }

  private void propose(long now) {
    SimNode n = randomUpNode();
    if (n == null) {
      return;
    }
    int count = 1 + random.nextInt(3);
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(ByteBuffer.allocate(8 + random.nextInt(40)).putLong(nextClientId++).array());
    }
    proposals += count;
    n.node.propose(batch);
    n.handleReady(now);
  }

  private void read(long now) {
    SimNode n = randomUpNode();
    if (n == null) {
      return;
    }
    long ctx = nextClientId++;
    n.readsStarted.put(ctx, checker.maxApplied);
    n.node.readIndex(ByteBuffer.allocate(8).putLong(ctx).array());
    n.handleReady(now);
  }

  private void fault(long now) {
    List<Long> ids = new ArrayList<>(nodes.keySet());
    int kind = random.nextInt(9);
    switch (kind) {
      case 0 -> { // symmetric partition
        network.healLinks();
        List<Long> side = new ArrayList<>();
        for (long id : ids) {
          if (random.nextBoolean()) {
            side.add(id);
          }
        }
        for (long a : ids) {
          for (long b : ids) {
            if (side.contains(a) != side.contains(b)) {
              network.cut(a, b);
            }
          }
        }
        trace(now, "partition " + side + " | rest");
      }
      case 1 -> { // one-way cut
        long a = ids.get(random.nextInt(ids.size()));
        long b = ids.get(random.nextInt(ids.size()));
        network.cut(a, b);
        trace(now, "cut " + a + " -> " + b);
      }
      case 2 -> {
        network.healLinks();
        trace(now, "heal links");
      }
      case 3, 4 -> {
        SimNode n = randomUpNode();
        if (n != null) {
          n.crash(now, 20 + random.nextInt(500));
        }
      }
      case 5, 6 -> changeMembership(now);
      case 7, 8 -> {
        SimNode n = randomUpNode();
        SimNode leader = leader();
        if (n != null && leader != null) {
          List<Long> vs = new ArrayList<>(leader.node.confState().voters());
          long to = vs.get(random.nextInt(vs.size()));
          trace(now, "transfer to " + to + " asked at " + n.id);
          n.node.transferLeadership(to);
          n.handleReady(now);
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  private void changeMembership(long now) {
    SimNode leader = leader();
    if (leader == null) {
      return;
    }
    ConfState cs = leader.node.confState();
    List<Long> candidates = new ArrayList<>(nodes.keySet());
    long id = candidates.get(random.nextInt(candidates.size()));
    ConfChangeType type;
    if (cs.learners().contains(id)) {
      type = ConfChangeType.PROMOTE_LEARNER;
    } else if (!cs.voters().contains(id)) {
      type = random.nextBoolean() ? ConfChangeType.ADD_LEARNER : ConfChangeType.ADD_VOTER;
    } else if (cs.voters().size() > 3) {
      type = ConfChangeType.REMOVE_NODE;
    } else {
      return;
    }
    boolean ok = leader.node.proposeConfChange(new ConfChange(type, id));
    trace(now, "conf change " + type + " " + id + " at " + leader.id + (ok ? "" : " refused"));
    leader.handleReady(now);
  }
}
