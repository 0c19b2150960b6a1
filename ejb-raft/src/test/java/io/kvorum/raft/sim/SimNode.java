package io.kvorum.raft.sim;

import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.MemoryLogStorage;
import io.kvorum.raft.core.RaftConfig;
import io.kvorum.raft.core.RawNode;
import io.kvorum.raft.core.ReadState;
import io.kvorum.raft.core.Ready;
import io.kvorum.raft.core.Role;
import io.kvorum.raft.core.SnapshotChunk;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One simulated member: its durable storage (survives crashes), its volatile {@link RawNode} and
 * state machine, and a driver that handles each {@link Ready} in the contract's order, with an
 * optional crash before anything of the Ready is persisted.
 */
final class SimNode {
  final long id;
  final MemoryLogStorage storage;
  private final Simulation sim;
  RawNode node;
  StateMachine sm = new StateMachine();
  boolean up = true;
  long restartAt;

  /** Pending linearizable reads: context → max applied index anywhere when the read began. */
  final Map<Long, Long> readsStarted = new HashMap<>();

  /** Reads with a read index, waiting for applied >= index: context → index. */
  final Map<Long, Long> readsWaiting = new HashMap<>();

  private ByteArrayOutputStream receiving = new ByteArrayOutputStream();

  SimNode(long id, MemoryLogStorage storage, Simulation sim) {
    this.id = id;
    this.storage = storage;
    this.sim = sim;
    start();
  }

  private void start() {
    RaftConfig cfg =
        RaftConfig.of(id, new Random(sim.random.nextLong()))
            .electionTick(10)
            .heartbeatTick(1)
            .maxSizePerMsg(sim.maxSizePerMsg)
            .maxInflightMsgs(sim.maxInflight)
            .snapshotChunkBytes(1000)
            .maxUncommittedEntries(sim.maxUncommitted);
    node = new RawNode(cfg, storage);
    sm = new StateMachine();
    sm.restore(storage.snapshotData());
    sim.checker.checkChain(id, sm.appliedIndex, sm.hash);
    receiving = new ByteArrayOutputStream();
    readsStarted.clear();
    readsWaiting.clear();
  }

  void crash(long now, long downFor) {
    up = false;
    restartAt = now + downFor;
    sim.trace(now, "crash " + id + " until " + restartAt);
  }

  void restart(long now) {
    up = true;
    start();
    sim.trace(now, "restart " + id + " " + node.hardState());
    handleReady(now);
  }

  boolean isLeader() {
    return up && node.softState().role() == Role.LEADER;
  }

  /** Handles Ready batches until there are none (persist, send, apply, advance). */
  void handleReady(long now) {
    while (up && node.hasReady()) {
      Ready rd = node.ready();
      // As KvServer does: a leader sends before it persists (Raft thesis 10.2.1), others after.
      boolean sendFirst = node.softState().role() == Role.LEADER;
      if (sendFirst) {
        rd.messages().forEach(m -> sim.network.send(now, m));
      }
      if (rd.mustPersist() && sim.random.nextDouble() < sim.crashBeforePersistRate) {
        // Nothing of this Ready reached the disk; only a leader's messages were sent.
        crash(now, 20 + sim.random.nextInt(200));
        return;
      }
      persist(now, rd);
      if (!sendFirst) {
        rd.messages().forEach(m -> sim.network.send(now, m));
      }
      for (Entry e : rd.committedEntries()) {
        sm.apply(e);
        sim.checker.onApply(id, e, sm.hash);
        sim.onApplied(e);
      }
      for (ReadState rs : rd.readStates()) {
        long ctx = ByteBuffer.wrap(rs.context()).getLong();
        Long began = readsStarted.remove(ctx);
        if (began != null) {
          sim.checker.onReadIndex(id, rs.index(), began);
          readsWaiting.put(ctx, rs.index());
        }
      }
      node.advance();
      if (rd.softState() != null) {
        sim.trace(now, id + " " + rd.softState() + " term " + node.hardState().term());
        if (rd.softState().role() == Role.LEADER) {
          long term = node.hardState().term();
          sim.checker.onLeader(id, term);
          sim.checker.checkLeaderCompleteness(id, term, storage);
        }
      }
      readsWaiting.values().removeIf(index -> index <= sm.appliedIndex && sim.countRead());
      maybeSnapshot();
    }
  }

  private void persist(long now, Ready rd) {
    for (SnapshotChunk c : rd.snapshotChunks()) {
      if (c.offset() == 0) {
        receiving = new ByteArrayOutputStream();
      }
      if (c.offset() != receiving.size()) {
        throw new AssertionError("chunk at " + c.offset() + " but have " + receiving.size());
      }
      receiving.writeBytes(c.data());
    }
    if (rd.snapshot() != null) {
      byte[] data = receiving.toByteArray();
      if (data.length != rd.snapshot().size()) {
        throw new AssertionError(
            "snapshot of " + data.length + " bytes, expected " + rd.snapshot().size());
      }
      storage.applySnapshot(rd.snapshot(), data);
      sm.restore(data);
      if (sm.appliedIndex != rd.snapshot().index()) {
        throw new AssertionError("snapshot data is for " + sm.appliedIndex);
      }
      sim.checker.checkChain(id, sm.appliedIndex, sm.hash);
      sim.snapshotsInstalled++;
      sim.trace(now, id + " installed snapshot " + rd.snapshot().index());
    }
    sim.checker.beforePersist(id, rd.entries(), storage);
    storage.append(rd.entries());
    sim.checker.onPersist(id, rd.entries(), storage);
    if (rd.hardState() != null) {
      if (rd.hardState().term() < storage.hardState().term()) {
        throw new AssertionError("term went back on node " + id);
      }
      storage.setHardState(rd.hardState());
    }
  }

  private void maybeSnapshot() {
    long applied = node.appliedIndex();
    if (applied - storage.snapshot().index() > sim.snapshotEvery && applied == sm.appliedIndex) {
      ConfState cs = node.confState();
      storage.createSnapshot(applied, cs, sm.snapshot(2000 + (int) (applied % 1000)));
    }
  }

  List<Long> pendingReadContexts() {
    return new ArrayList<>(readsStarted.keySet());
  }
}
