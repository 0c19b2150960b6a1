package io.kvorum.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.kv.core.AutoCompactor;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.KvException;
import io.kvorum.kv.core.KvResponse;
import io.kvorum.kv.core.LeaseGrantRequest;
import io.kvorum.kv.core.LeaseGrantResponse;
import io.kvorum.kv.core.MemoryKvBackend;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.PutRequest;
import io.kvorum.kv.core.PutResponse;
import io.kvorum.kv.core.RangeRequest;
import io.kvorum.kv.core.RangeResponse;
import io.kvorum.raft.core.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three members in one JVM over an in-memory network, ticking on real threads: the server wiring
 * (forwarding, apply, futures, ReadIndex, lease expiry) end to end. The protocol itself is proven
 * by the deterministic simulator; this proves the driver around it.
 */
class KvServerTest {
  private static final long TICK_MS = 10;
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private static final long SNAPSHOT_COUNT = 25;
  private final List<KvServer> servers = new ArrayList<>();
  private final List<MemoryDurableLog> logs = new ArrayList<>();
  private LocalNetwork net;
  private ScheduledExecutorService ticker;
  private ExecutorService responses;

  @BeforeEach
  void startCluster() {
    net = new LocalNetwork();
    ticker = Executors.newSingleThreadScheduledExecutor();
    responses = Executors.newFixedThreadPool(4);
    for (long id = 1; id <= 3; id++) {
      ServerOptions o =
          new ServerOptions(id, 10, 1, TICK_MS, true, id * 31, 3_000, 300_000, clock::get);
      MemoryDurableLog log = MemoryDurableLog.bootstrap(1L, 2L, 3L);
      KvServer s =
          new KvServer(
              o,
              log,
              MvccStore.open(new MemoryKvBackend(), KvConfig.defaults()),
              net.transport(id),
              Thread::new,
              responses);
      s.setAutoCompactor(AutoCompactor.fromConfig("revision", "5"));
      s.setSnapshotCount(SNAPSHOT_COUNT);
      logs.add(log);
      servers.add(s);
    }
    servers.forEach(KvServer::start);
    ticker.scheduleAtFixedRate(
        () -> servers.forEach(KvServer::tick), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stopCluster() {
    ticker.shutdownNow();
    servers.forEach(KvServer::close);
    net.close();
    responses.shutdownNow();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 1_000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), what);
  }

  private KvServer leader() throws InterruptedException {
    await(
        "one leader",
        () -> servers.stream().filter(s -> s.status().role() == Role.LEADER).count() == 1);
    return servers.stream().filter(s -> s.status().role() == Role.LEADER).findFirst().orElseThrow();
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static String value(RangeResponse r) {
    return r.kvs().isEmpty() ? null : new String(r.kvs().get(0).value(), StandardCharsets.UTF_8);
  }

  @Test
  void writesOnAnyMemberAreReadOnAll() throws Exception {
    KvServer leader = leader();
    long term = leader.status().term();
    int n = 0;
    for (KvServer s : servers) {
      KvResponse r = get(s.propose(PutRequest.of("k" + n, "v" + n)));
      assertInstanceOf(PutResponse.class, r);
      n++;
    }
    for (KvServer s : servers) {
      for (int i = 0; i < n; i++) {
        // Linearizable: a follower's ReadIndex makes it catch up before it reads.
        assertEquals("v" + i, value(get(s.range(RangeRequest.of("k" + i)))));
      }
    }
    long revision = get(leader.range(RangeRequest.of("k0"))).header().revision();
    assertEquals(4, revision, "three puts after the initial revision 1");
    await("all applied", () -> servers.stream().allMatch(s -> s.store().currentRevision() == 4));
    assertEquals(servers.get(0).store().hashKv(0).hash(), servers.get(2).store().hashKv(0).hash());
    assertEquals(term, leader.status().term(), "no election while healthy");
  }

  @Test
  void aNewLeaderServesAfterTheOldOneIsCutOffAndNothingAcknowledgedIsLost() throws Exception {
    KvServer old = leader();
    List<CompletableFuture<KvResponse>> acked = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      acked.add(old.propose(PutRequest.of("acked/" + i, "x")));
    }
    for (CompletableFuture<KvResponse> f : acked) {
      get(f);
    }
    net.isolate(old.status().id());
    KvServer survivor = servers.stream().filter(s -> s != old).findFirst().orElseThrow();
    await(
        "a new leader among the other two",
        () -> {
          long l = survivor.status().leader();
          return l != 0 && l != old.status().id();
        });
    get(survivor.propose(PutRequest.of("after", "failover")));
    for (KvServer s : servers) {
      if (s != old) {
        assertEquals(50, get(s.range(RangeRequest.prefix("acked/"))).count());
        assertEquals("failover", value(get(s.range(RangeRequest.of("after")))));
      }
    }
    // The cut-off old leader cannot serve a linearizable read: it times out or finds no leader.
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> get(old.range(RangeRequest.of("after"))));
    assertInstanceOf(KvException.class, e.getCause());
    assertNotEquals(old.status().id(), survivor.status().leader());
  }

  @Test
  void aFollowerCutOffPastASnapshotCatchesUpByInstallingItAndARestartRestoresFromIt()
      throws Exception {
    KvServer leader = leader();
    int lag = servers.indexOf(servers.stream().filter(s -> s != leader).findFirst().get());
    KvServer follower = servers.get(lag);
    get(leader.propose(PutRequest.of("before", "cut")));
    net.isolate(follower.status().id());
    for (int i = 0; i < 4 * SNAPSHOT_COUNT; i++) {
      get(leader.propose(PutRequest.of("k" + (i % 7), "v" + i)));
    }
    int leaderAt = servers.indexOf(leader);
    await(
        "the leader's log is compacted past the follower",
        () -> logs.get(leaderAt).firstIndex() > follower.status().appliedIndex() + 1);
    net.heal(follower.status().id());
    long revision = leader.store().currentRevision();
    await("the follower catches up", () -> follower.store().currentRevision() == revision);
    assertTrue(
        logs.get(lag).snapshot().index() >= 3 * SNAPSHOT_COUNT,
        "caught up by a snapshot: " + logs.get(lag).snapshot());
    assertEquals(leader.store().hashKv(0).hash(), follower.store().hashKv(0).hash());
    assertEquals("cut", value(get(follower.range(RangeRequest.of("before")))));
    get(follower.propose(PutRequest.of("after", "install")));
    assertEquals("install", value(get(leader.range(RangeRequest.of("after")))));

    // A member whose store is behind its log's snapshot (as after a crash in the middle of a
    // restore) restores the store from the log before it starts.
    MvccStore empty = MvccStore.open(new MemoryKvBackend(), KvConfig.defaults());
    long snapIndex = logs.get(lag).snapshot().index();
    try (KvServer restarted =
        new KvServer(
            new ServerOptions(9, 10, 1, TICK_MS, true, 9, 3_000, 300_000, clock::get),
            logs.get(lag),
            empty,
            net.transport(9),
            Thread::new,
            responses)) {
      assertEquals(snapIndex, empty.appliedIndex());
      assertEquals("cut", value(empty.range(RangeRequest.of("before"))));
    }
  }

  @Test
  void revisionModeAutoCompactionCompactsEveryMemberAtTheSameRevision() throws Exception {
    leader();
    for (int i = 0; i < 20; i++) {
      get(servers.get(i % 3).propose(PutRequest.of("c", "v" + i)));
    }
    await(
        "the leader compacts to current - 5, through the log",
        () -> {
          clock.addAndGet(60_000); // revision mode polls every 5 minutes, as etcd
          return servers.stream().allMatch(s -> s.store().compactRevision() == 16);
        });
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () -> get(servers.get(1).range(RangeRequest.of("c").withRevision(10))));
    assertEquals(
        "etcdserver: mvcc: required revision has been compacted", e.getCause().getMessage());
  }

  @Test
  void theLeaderRevokesExpiredLeasesThroughTheLog() throws Exception {
    leader();
    LeaseGrantResponse lease =
        (LeaseGrantResponse) get(servers.get(1).propose(new LeaseGrantRequest(5, 0)));
    get(servers.get(2).propose(PutRequest.of("ephemeral", "1").withLease(lease.id())));
    for (KvServer s : servers) {
      assertEquals("1", value(get(s.range(RangeRequest.of("ephemeral")))));
    }
    // Time passes on the leader's clock (a leader change meanwhile restarts the full TTL, so
    // keep it moving rather than jumping once).
    await(
        "the key is deleted on every member",
        () -> {
          clock.addAndGet(100);
          return servers.stream()
              .allMatch(s -> s.store().range(RangeRequest.of("ephemeral")).kvs().isEmpty());
        });
    long revision = servers.get(0).store().currentRevision();
    await(
        "at the same revision everywhere",
        () -> servers.stream().allMatch(s -> s.store().currentRevision() == revision));
  }
}
