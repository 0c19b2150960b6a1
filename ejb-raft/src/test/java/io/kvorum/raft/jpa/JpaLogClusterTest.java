package io.kvorum.raft.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.LogStorage;
import io.kvorum.raft.core.MemoryLogStorage;
import io.kvorum.raft.core.Message;
import io.kvorum.raft.core.RaftConfig;
import io.kvorum.raft.core.RawNode;
import io.kvorum.raft.core.Ready;
import io.kvorum.raft.core.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded three-member cluster in which member 1 keeps its log in {@link JpaLogStorage} (an H2
 * file database) and members 2 and 3 in {@link MemoryLogStorage}, driven by the Ready contract over
 * a lossy, reordering network. Member 1 crashes often (sometimes before persisting a Ready) and
 * restarts from its database; every member snapshots its state machine, so member 1 both takes and
 * installs snapshots. Checks: every member applies the same hash chain, and after healing all
 * members catch up. A smaller cousin of the core's simulator, kept in this package so the
 * simulator's files stay the Raft engineer's.
 */
class JpaLogClusterTest {
  private static final int STEPS = 1500;

  @TempDir Path dir;

  /** Applied entries folded into a hash chain; its snapshot is (index, hash) plus filler. */
  private static final class Chain {
    long applied;
    long hash;

    void apply(Entry e) {
      assertEquals(applied + 1, e.index(), "applied out of order");
      long h = hash * 31 + e.term();
      for (byte b : e.data()) {
        h = h * 131 + b;
      }
      hash = h ^ e.index();
      applied = e.index();
    }

    byte[] snapshot() {
      ByteBuffer b = ByteBuffer.allocate(16 + 2500);
      return b.putLong(applied).putLong(hash).array();
    }

    void restore(InputStream data) {
      try {
        byte[] head = data.readNBytes(16);
        ByteBuffer b = ByteBuffer.wrap(head);
        applied = head.length == 0 ? 0 : b.getLong();
        hash = head.length == 0 ? 0 : b.getLong();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final class Member {
    final long id;
    final Random random;
    LogStorage storage;
    RaftH2 db;
    RawNode node;
    Chain chain = new Chain();
    int installs;
    long downUntil = -1;

    Member(long id, Random random) {
      this.id = id;
      this.random = random;
      if (id == 1) {
        openJpa();
        ((JpaLogStorage) storage).bootstrap(List.of(1L, 2L, 3L));
      } else {
        storage = MemoryLogStorage.bootstrap(1L, 2L, 3L);
      }
      start();
    }

    private void openJpa() {
      db = RaftH2.open(dir);
      storage =
          new JpaLogStorage(
              db.transactions(),
              JpaLogStorage.Options.defaults()
                  .withSyncMode(SyncMode.COMMIT_ONLY)
                  .withEntryCacheBytes(2000)
                  .withSnapshotChunkBytes(1000));
    }

    void start() {
      RaftConfig cfg =
          RaftConfig.of(id, new Random(random.nextLong()))
              .electionTick(10)
              .heartbeatTick(1)
              .snapshotChunkBytes(700);
      node = new RawNode(cfg, storage);
      chain = new Chain();
      chain.restore(new SnapshotInputStream(storage, 600));
    }

    /** Crash: volatile state is lost; member 1 also closes and reopens its database. */
    void crashAndRestart() {
      if (id == 1) {
        db.close();
        openJpa();
      }
      start();
    }

    void handleReady(List<Message> network, Map<Long, Long> hashes) {
      while (node.hasReady()) {
        Ready rd = node.ready();
        if (id == 1 && rd.mustPersist() && random.nextInt(100) == 0) {
          crashAndRestart(); // nothing of this Ready reached the disk or the network
          return;
        }
        if (id == 1) {
          ((JpaLogStorage) storage).persist(rd);
        } else {
          persistInMemory(rd);
        }
        if (rd.snapshot() != null) {
          chain.restore(new SnapshotInputStream(storage, 600));
          installs++;
        }
        network.addAll(rd.messages());
        for (Entry e : rd.committedEntries()) {
          chain.apply(e);
          Long seen = hashes.putIfAbsent(e.index(), chain.hash);
          assertEquals(seen == null ? chain.hash : seen, chain.hash, "divergence at " + e.index());
        }
        node.advance();
        maybeSnapshot();
      }
    }

    private final ByteArrayOutputStream receiving = new ByteArrayOutputStream();

    /** As the simulator's driver writes MemoryLogStorage (members 2 and 3 never crash). */
    private void persistInMemory(Ready rd) {
      MemoryLogStorage s = (MemoryLogStorage) storage;
      ByteArrayOutputStream buf = receiving;
      rd.snapshotChunks()
          .forEach(
              c -> {
                if (c.offset() == 0) {
                  buf.reset();
                }
                buf.writeBytes(c.data());
              });
      if (rd.snapshot() != null) {
        s.applySnapshot(rd.snapshot(), buf.toByteArray());
      }
      s.append(rd.entries());
      if (rd.hardState() != null) {
        s.setHardState(rd.hardState());
      }
    }

    private void maybeSnapshot() {
      long applied = node.appliedIndex();
      if (applied - storage.snapshot().index() > 40 && applied == chain.applied) {
        if (id == 1) {
          ((JpaLogStorage) storage).createSnapshot(applied, node.confState(), chain.snapshot());
        } else {
          ((MemoryLogStorage) storage).createSnapshot(applied, node.confState(), chain.snapshot());
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void aMemberOnTheJpaLogStaysConsistentThroughCrashesAndSnapshots(long seed) {
    Random random = new Random(seed);
    Map<Long, Member> members = new HashMap<>();
    for (long id = 1; id <= 3; id++) {
      members.put(id, new Member(id, random));
    }
    Map<Long, Long> hashes = new HashMap<>();
    List<Message> network = new ArrayList<>();
    int proposals = 0;
    try {
      for (int step = 0; step < STEPS * 2; step++) {
        boolean faulty = step < STEPS;
        Member one = members.get(1L);
        if (one.downUntil == step) {
          one.crashAndRestart();
        }
        for (Member m : members.values()) {
          if (m.downUntil > step) {
            continue;
          }
          m.node.tick();
          boolean quiet = step > STEPS * 2 - 300; // the last commits reach every member
          if (!quiet && m.node.softState().role() == Role.LEADER && random.nextInt(3) == 0) {
            m.node.propose(("p" + proposals++).getBytes());
          }
        }
        if (faulty && one.downUntil < step && random.nextInt(150) == 0) {
          // Down long enough, sometimes, for the leader to compact past member 1's log.
          one.downUntil = step + 1 + random.nextInt(300);
        }
        List<Message> deliver = new ArrayList<>(network);
        network.clear();
        Collections.shuffle(deliver, random);
        for (Message msg : deliver) {
          boolean down = members.get(msg.to()).downUntil > step;
          if (!down && (!faulty || random.nextInt(100) >= 10)) {
            members.get(msg.to()).node.step(msg);
          }
        }
        for (Member m : members.values()) {
          if (m.downUntil <= step) {
            m.handleReady(network, hashes);
          }
        }
      }
      long max = members.values().stream().mapToLong(m -> m.chain.applied).max().orElse(0);
      assertTrue(max > 100, "the cluster made progress: applied " + max);
      for (Member m : members.values()) {
        assertEquals(max, m.chain.applied, "member " + m.id + " caught up after healing");
        assertEquals(hashes.get(max), m.chain.hash, "member " + m.id + " has the same state");
      }
      assertTrue(members.get(1L).storage.snapshot().index() > 0, "member 1 took snapshots");
      System.out.printf(
          "seed %d: applied %d, member 1 installed %d snapshots from the leader%n",
          seed, max, members.get(1L).installs);
    } finally {
      members.get(1L).db.close();
    }
  }
}
