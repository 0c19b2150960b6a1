package io.kvorum.raft.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A fault-free, step-by-step test fixture: nodes with in-memory storage, a message queue the test
 * drains explicitly, and drop filters. Each node handles its Ready exactly as the driver contract
 * says (persist, send, apply, advance).
 */
final class TestCluster {
  final TreeMap<Long, RawNode> nodes = new TreeMap<>();
  final Map<Long, MemoryLogStorage> storages = new HashMap<>();
  final Map<Long, List<Entry>> applied = new HashMap<>();
  final Map<Long, List<ReadState>> reads = new HashMap<>();
  final Map<Long, Map<Long, byte[]>> chunks = new HashMap<>();
  final List<Message> queue = new ArrayList<>();
  final List<Message> log = new ArrayList<>();
  final Set<Long> isolated = new HashSet<>();

  /** Human-readable events (role changes, applied entries, reads, snapshots) for scenarios. */
  final List<String> events = new ArrayList<>();

  /** Directed links that drop everything: from * 1000 + to. */
  final Set<Long> cutLinks = new HashSet<>();

  Predicate<Message> drop = m -> false;
  Consumer<RaftConfig> tweak = c -> {};
  private final Random random = new Random(1);

  /** A cluster whose nodes 1..voters are voters; extra ids start empty (to be added later). */
  static TestCluster of(int voters, long... extra) {
    TestCluster c = new TestCluster();
    Long[] ids = new Long[voters];
    for (int i = 0; i < voters; i++) {
      ids[i] = (long) i + 1;
    }
    for (long id : ids) {
      c.add(id, MemoryLogStorage.bootstrap(ids));
    }
    for (long id : extra) {
      c.add(id, new MemoryLogStorage());
    }
    return c;
  }

  RaftConfig config(long id) {
    RaftConfig cfg = RaftConfig.of(id, new Random(random.nextLong())).electionTick(10);
    tweak.accept(cfg);
    return cfg;
  }

  void add(long id, MemoryLogStorage s) {
    storages.put(id, s);
    nodes.put(id, new RawNode(config(id), s));
    applied.put(id, new ArrayList<>());
    reads.put(id, new ArrayList<>());
    processReady(); // applies the bootstrap entries
  }

  /** Simulates a crash and restart from the node's storage (volatile state is lost). */
  void restart(long id) {
    nodes.put(id, new RawNode(config(id), storages.get(id)));
    applied.get(id).clear();
    queue.removeIf(m -> m.to() == id);
    processReady();
  }

  RawNode node(long id) {
    return nodes.get(id);
  }

  Raft raft(long id) {
    try {
      var f = RawNode.class.getDeclaredField("raft");
      f.setAccessible(true);
      return (Raft) f.get(nodes.get(id));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Handles every node's Ready once. */
  void processReady() {
    for (long id : nodes.keySet()) {
      RawNode n = nodes.get(id);
      while (n.hasReady()) {
        Ready rd = n.ready();
        MemoryLogStorage s = storages.get(id);
        for (SnapshotChunk c : rd.snapshotChunks()) {
          chunks.computeIfAbsent(id, k -> new TreeMap<>()).put(c.offset(), c.data());
        }
        if (rd.snapshot() != null) {
          s.applySnapshot(rd.snapshot(), assemble(id));
          applied.get(id).clear();
          events.add(
              id
                  + ": installed snapshot "
                  + rd.snapshot().index()
                  + "/"
                  + rd.snapshot().term()
                  + " ("
                  + rd.snapshot().size()
                  + " bytes)");
        }
        s.append(rd.entries());
        if (rd.hardState() != null) {
          s.setHardState(rd.hardState());
        }
        queue.addAll(rd.messages());
        applied.get(id).addAll(rd.committedEntries());
        reads.get(id).addAll(rd.readStates());
        n.advance();
        if (rd.softState() != null) {
          SoftState ss = rd.softState();
          events.add(
              id + ": " + ss.role() + " term " + n.hardState().term() + " leader " + ss.leader());
        }
        for (Entry e : rd.committedEntries()) {
          if (e.type() == EntryType.CONF_CHANGE) {
            events.add(
                id + ": apply " + e.index() + "/" + e.term() + " " + ConfChange.decode(e.data()));
          } else if (e.data().length > 0) {
            events.add(id + ": apply " + e.index() + "/" + e.term() + " " + new String(e.data()));
          }
        }
        for (ReadState r : rd.readStates()) {
          events.add(id + ": read " + new String(r.context()) + " at index " + r.index());
        }
      }
    }
  }

  private byte[] assemble(long id) {
    Map<Long, byte[]> parts = chunks.remove(id);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    if (parts != null) {
      parts.values().forEach(out::writeBytes);
    }
    return out.toByteArray();
  }

  /** Delivers queued messages (and the messages they cause) until none is left. */
  void deliverAll() {
    deliverAll(null);
  }

  /** As {@link #deliverAll()}, also listing each delivered message into {@code out} if given. */
  void deliverAll(List<String> out) {
    processReady();
    int guard = 0;
    while (!queue.isEmpty()) {
      if (++guard > 100_000) {
        throw new AssertionError("messages never quiesce");
      }
      Message m = queue.remove(0);
      if (drop.test(m)
          || isolated.contains(m.from())
          || isolated.contains(m.to())
          || cutLinks.contains(m.from() * 1000 + m.to())) {
        continue;
      }
      RawNode to = nodes.get(m.to());
      if (to == null) {
        continue;
      }
      log.add(m);
      if (out != null) {
        out.add(m.toString());
      }
      to.step(m);
      processReady();
    }
  }

  /** Ticks every node {@code n} times, delivering messages after each round. */
  void tick(int n) {
    for (int i = 0; i < n; i++) {
      nodes.values().forEach(RawNode::tick);
      deliverAll();
    }
  }

  /** Makes {@code id} leader by campaigning and delivering. */
  void elect(long id) {
    nodes.get(id).campaign();
    deliverAll();
    if (nodes.get(id).softState().role() != Role.LEADER) {
      throw new AssertionError(id + " did not become leader: " + nodes.get(id).softState());
    }
  }

  long leader() {
    long lead = RawNode.NONE;
    for (RawNode n : nodes.values()) {
      if (n.softState().role() == Role.LEADER) {
        if (lead != RawNode.NONE && raft(lead).term == raft(n.id()).term) {
          throw new AssertionError("two leaders");
        }
        if (lead == RawNode.NONE || raft(n.id()).term > raft(lead).term) {
          lead = n.id();
        }
      }
    }
    return lead;
  }

  List<String> appliedData(long id) {
    List<String> out = new ArrayList<>();
    for (Entry e : applied.get(id)) {
      if (e.type() == EntryType.NORMAL && e.data().length > 0) {
        out.add(new String(e.data()));
      }
    }
    return out;
  }
}
