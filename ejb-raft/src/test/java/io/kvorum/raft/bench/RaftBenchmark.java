package io.kvorum.raft.bench;

import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.MemoryLogStorage;
import io.kvorum.raft.core.Message;
import io.kvorum.raft.core.MessageCodec;
import io.kvorum.raft.core.RaftConfig;
import io.kvorum.raft.core.RawNode;
import io.kvorum.raft.core.Ready;
import io.kvorum.raft.core.Role;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the core alone: a 3-node cluster in one thread, in-memory storage, every message
 * encoded and decoded with {@link MessageCodec} (as a transport would), Ready handled per the
 * contract. Not a test: it asserts nothing about time and runs only with {@code -Draft.bench=true}:
 *
 * <pre>
 * mvn -B -q -pl ejb-raft -am test -Dtest=RaftBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Draft.bench=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "raft.bench", matches = "true")
class RaftBenchmark {
  private static final int PAYLOAD = 100;
  private final List<RawNode> nodes = new ArrayList<>();
  private final List<MemoryLogStorage> storages = new ArrayList<>();
  private final ArrayDeque<byte[]> wire = new ArrayDeque<>();
  private long appliedOnLeader;

  @Test
  void proposalsCommittedPerSecond() {
    for (int batch : new int[] {1, 100}) {
      for (int inflight : new int[] {1, 8}) {
        setUp();
        run(batch, inflight, 1_000_000_000L); // warm-up
        setUp();
        long start = System.nanoTime();
        long entries = run(batch, inflight, 3_000_000_000L);
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "batch %3d, %d batches in flight: %,.0f entries committed/s (%,d in %.1f s)%n",
            batch, inflight, entries / secs, entries, secs);
      }
    }
  }

  private void setUp() {
    nodes.clear();
    storages.clear();
    wire.clear();
    appliedOnLeader = 0;
    for (long id = 1; id <= 3; id++) {
      MemoryLogStorage s = MemoryLogStorage.bootstrap(1L, 2L, 3L);
      storages.add(s);
      nodes.add(new RawNode(RaftConfig.of(id, new Random(id)), s));
    }
    drain();
    nodes.get(0).campaign();
    drain();
    if (nodes.get(0).softState().role() != Role.LEADER) {
      throw new IllegalStateException("no leader");
    }
  }

  /** Proposes batches, keeping {@code inflight} batches uncommitted, for about {@code nanos}. */
  private long run(int batch, int inflight, long nanos) {
    RawNode leader = nodes.get(0);
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      data.add(new byte[PAYLOAD]);
    }
    long startApplied = appliedOnLeader;
    long proposed = 0;
    long deadline = System.nanoTime() + nanos;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < 100; i++) {
        while (proposed - (appliedOnLeader - startApplied) < (long) batch * inflight) {
          leader.propose(data);
          proposed += batch;
          handle(0);
        }
        step();
      }
    }
    drain();
    return appliedOnLeader - startApplied;
  }

  private void handle(int i) {
    RawNode n = nodes.get(i);
    MemoryLogStorage s = storages.get(i);
    while (n.hasReady()) {
      Ready rd = n.ready();
      s.append(rd.entries());
      if (rd.hardState() != null) {
        s.setHardState(rd.hardState());
      }
      for (Message m : rd.messages()) {
        wire.add(MessageCodec.encode(m));
      }
      if (i == 0) {
        for (Entry e : rd.committedEntries()) {
          if (e.data().length == PAYLOAD) {
            appliedOnLeader++;
          }
        }
      }
      n.advance();
      long applied = n.appliedIndex();
      if (applied - s.snapshot().index() > 50_000) {
        s.createSnapshot(applied, n.confState(), new byte[16]);
      }
    }
  }

  /** Delivers the messages currently on the wire (not those they cause). */
  private void step() {
    for (int k = wire.size(); k > 0; k--) {
      Message m = MessageCodec.decode(wire.poll());
      int i = (int) m.to() - 1;
      nodes.get(i).step(m);
      handle(i);
    }
  }

  private void drain() {
    for (RawNode n : nodes) {
      handle((int) n.id() - 1);
    }
    while (!wire.isEmpty()) {
      step();
    }
  }
}
