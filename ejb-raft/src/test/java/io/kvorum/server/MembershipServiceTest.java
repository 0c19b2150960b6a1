package io.kvorum.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.KvException;
import io.kvorum.kv.core.MemoryKvBackend;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.PutRequest;
import io.kvorum.kv.core.RangeRequest;
import io.kvorum.raft.core.DurableLog;
import io.kvorum.raft.core.Role;
import io.kvorum.raft.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The membership service on in-JVM members: attributes replicated through the log, MemberAdd of a
 * learner that joins with an empty log, promote, remove (the removed member stops), MemberUpdate,
 * etcd's errors, MoveLeader and the leader transfer before a stop.
 */
class MembershipServiceTest {
  private static final long TICK_MS = 10;
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final List<KvServer> servers = new ArrayList<>();
  private final Map<Long, MemberStore> stores = new HashMap<>();
  private final LocalNetwork net = new LocalNetwork();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService responses = Executors.newFixedThreadPool(4);
  private long snapshotCount;

  private static MembershipState initial(long self) {
    Map<Long, MemberRecord> members = new HashMap<>();
    for (long id = 1; id <= 3; id++) {
      members.put(id, new MemberRecord(id, "", List.of(peer(id)), List.of(), false));
    }
    return new MembershipState(0xc1, self, 0, members, Set.of());
  }

  private static String peer(long id) {
    return "http://127.0.0.1:" + (2380 + 10 * id);
  }

  private KvServer member(long id, DurableLog log, MembershipState seed, boolean publish) {
    ServerOptions o =
        new ServerOptions(id, 10, 1, TICK_MS, true, id * 31, 3_000, 300_000, clock::get);
    Transport transport = net.transport(id);
    KvServer s =
        new KvServer(
            o,
            log,
            MvccStore.open(new MemoryKvBackend(), KvConfig.defaults()),
            transport,
            Thread::new,
            responses);
    MemberStore store = stores.computeIfAbsent(id, i -> MemberStore.inMemory());
    s.membership()
        .open(
            store,
            seed,
            publish ? "m" + id : "",
            publish ? List.of("http://127.0.0.1:" + (2379 + 10 * id)) : List.of(),
            true)
        .members()
        .keySet()
        .forEach(transport::addPeer); // what a joining member learnt: its peers
    s.setSnapshotCount(snapshotCount);
    servers.add(s);
    s.start();
    return s;
  }

  /** Starts added member {@code id} with an empty log and what the running cluster told it. */
  private KvServer join(KvServer running, long id) {
    MembershipState seed = running.membership().state();
    return member(
        id,
        MemoryDurableLog.empty(),
        new MembershipState(seed.clusterId(), id, 0, seed.members(), seed.removed()),
        true);
  }

  private void startCluster(boolean publish) {
    for (long id = 1; id <= 3; id++) {
      member(id, MemoryDurableLog.bootstrap(1L, 2L, 3L), initial(id), publish);
    }
    ticker.scheduleAtFixedRate(
        () -> List.copyOf(servers).forEach(KvServer::tick),
        TICK_MS,
        TICK_MS,
        TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
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
        () -> running().stream().filter(s -> s.status().role() == Role.LEADER).count() == 1);
    return running().stream().filter(s -> s.status().role() == Role.LEADER).findFirst().get();
  }

  private List<KvServer> running() {
    return servers.stream().filter(s -> !s.membership().removed()).toList();
  }

  private KvServer follower() throws InterruptedException {
    KvServer l = leader();
    return running().stream().filter(s -> s != l && s.status().id() <= 3).findFirst().get();
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static String error(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(f));
    return assertInstanceOf(KvException.class, e.getCause()).getMessage();
  }

  private static boolean started(KvServer s) {
    return s.membership().list().size() == 3
        && s.membership().list().stream().allMatch(MemberRecord::started);
  }

  @Test
  void everyMemberListsEveryMembersPublishedAttributes() throws Exception {
    startCluster(true);
    for (KvServer s : servers) {
      await("attributes published", () -> started(s));
      MemberRecord m2 = s.membership().list().get(1);
      assertEquals("m2", m2.name());
      assertEquals(List.of(peer(2)), m2.peerUrls());
      assertEquals(List.of("http://127.0.0.1:2399"), m2.clientUrls());
      assertFalse(m2.learner());
    }
    // Durable: the store holds what was applied, and a reopened membership starts from it.
    MembershipState kept = stores.get(1L).load();
    assertEquals(servers.get(0).membership().state(), kept);
    MembershipService reopened =
        new KvServer(
                new ServerOptions(1, 10, 1, TICK_MS, true, 1, 3_000, 300_000, clock::get),
                MemoryDurableLog.bootstrap(1L, 2L, 3L),
                MvccStore.open(new MemoryKvBackend(), KvConfig.defaults()),
                net.transport(9),
                Thread::new,
                responses)
            .membership();
    reopened.open(stores.get(1L), initial(1), "m1", List.of(), true);
    assertEquals("m3", reopened.list().get(2).name());
  }

  @Test
  void learnerJoinsCatchesUpIsPromotedAndAnOldMemberIsRemoved() throws Exception {
    startCluster(true);
    KvServer leader = leader();
    await("started", () -> started(leader));
    get(leader.propose(PutRequest.of("before", "join")));

    MembershipService.Result added = get(follower().membership().add(List.of(peer(4)), true));
    long id4 = added.member().id();
    assertTrue(added.member().learner());
    assertEquals("", added.member().name());
    assertEquals(4, added.members().size());
    // A second learner, the same URLs again: etcd's errors.
    assertEquals(
        "etcdserver: too many learner members in cluster",
        error(leader.membership().add(List.of("http://127.0.0.1:2500"), true)));
    clock.addAndGet(2_000); // another second: another id, the same URLs
    assertEquals(
        "etcdserver: Peer URLs already exists",
        error(leader.membership().add(List.of(peer(4)), false)));

    // The new member starts with an empty log and what the running cluster told it.
    KvServer joined = join(leader, id4);
    await(
        "the learner caught up",
        () -> joined.store().range(RangeRequest.of("before")).count() == 1);
    assertEquals(
        "join",
        new String(
            joined.store().range(RangeRequest.of("before")).kvs().get(0).value(),
            StandardCharsets.UTF_8));
    await("its name published", () -> leader.membership().state().members().get(id4).started());

    assertEquals(
        "etcdserver: can only promote a learner member",
        error(leader().membership().promote(follower().status().id())));
    assertEquals("etcdserver: not leader", error(follower().membership().promote(id4)));
    MembershipService.Result promoted = get(leader().membership().promote(id4));
    assertFalse(promoted.member().learner());
    await("promoted everywhere", () -> !joined.membership().state().members().get(id4).learner());

    KvServer victim = follower();
    long victimId = victim.status().id();
    MembershipService.Result after = get(leader().membership().remove(victimId));
    assertEquals(3, after.members().size());
    await("the removed member stops", () -> victim.membership().removed());
    assertEquals("etcdserver: member not found", error(leader().membership().remove(victimId)));
    assertInstanceOf(
        ExecutionException.class,
        assertThrows(Exception.class, () -> get(victim.propose(PutRequest.of("x", "y")))));
    get(leader().propose(PutRequest.of("after", "remove")));
    await(
        "the cluster without it keeps writing",
        () -> joined.store().range(RangeRequest.of("after")).count() == 1);
  }

  @Test
  void membersThatInstallASnapshotTakeTheMembershipItCovers() throws Exception {
    snapshotCount = 20;
    startCluster(true);
    KvServer leader = leader();
    await("started", () -> started(leader));
    KvServer lagging = follower();
    net.isolate(lagging.status().id());
    MembershipService.Result added = get(leader.membership().add(List.of(peer(4)), true));
    long id4 = added.member().id();
    for (int i = 0; i < 80; i++) {
      get(leader.propose(PutRequest.of("k" + (i % 5), "v" + i)));
    }
    net.heal(lagging.status().id());
    await(
        "the lagging member installed a snapshot past the addition",
        () -> lagging.membership().state().members().containsKey(id4));
    assertTrue(lagging.membership().state().members().get(id4).learner());
    assertEquals(
        List.of(peer(4)),
        lagging.membership().state().members().get(id4).peerUrls(),
        "the snapshot carries the membership recorded with it, not just ids");
    assertEquals(
        leader.membership().state().members().keySet(),
        lagging.membership().state().members().keySet());
    assertEquals(
        "m1", lagging.membership().state().members().get(1L).name(), "known attributes kept");

    // The added member joins from a snapshot: it knows everything the running cluster told it.
    KvServer joined = join(leader, id4);
    await(
        "the joined member caught up",
        () -> joined.store().range(RangeRequest.of("k4")).count() == 1);
    await("its membership follows", () -> joined.membership().state().appliedIndex() > 0);
    assertEquals(List.of(peer(2)), joined.membership().state().members().get(2L).peerUrls());
    assertTrue(joined.membership().state().members().get(id4).learner());
    await("it publishes its name", () -> leader.membership().state().members().get(id4).started());
  }

  @Test
  void strictReconfigCheckNeedsStartedMembersAndUpdateChangesPeerUrls() throws Exception {
    startCluster(false);
    KvServer leader = leader();
    assertEquals(
        "etcdserver: re-configuration failed due to not enough started members",
        error(leader.membership().add(List.of(peer(4)), false)));
    assertEquals(
        "etcdserver: re-configuration failed due to not enough started members",
        error(leader.membership().remove(2)));
    assertEquals("etcdserver: member not found", error(leader.membership().remove(99)));
    assertEquals(
        "etcdserver: given member URLs are invalid",
        error(leader.membership().add(List.of("not a url"), true)));

    MembershipService.Result r = get(follower().membership().update(2, List.of(peer(7))));
    assertEquals(List.of(peer(7)), r.member().peerUrls());
    for (KvServer s : servers) {
      await("updated", () -> s.membership().list().get(1).peerUrls().equals(List.of(peer(7))));
    }
    assertEquals(
        "etcdserver: Peer URLs already exists",
        error(leader.membership().update(3, List.of(peer(7)))));

    // Two adds of the same URLs within one second get the same id.
    get(leader.membership().add(List.of(peer(5)), true));
    assertEquals(
        "etcdserver: member ID already exist",
        error(leader.membership().add(List.of(peer(5)), true)));
  }

  @Test
  void aLeaderThatDoesNotHearFromAVoterRefusesToAddOneButMayRemoveTheSilentOne() throws Exception {
    startCluster(true);
    KvServer leader = leader();
    await("started", () -> started(leader));
    KvServer silent = follower();
    net.isolate(silent.status().id());
    Thread.sleep(20 * TICK_MS * 3); // beyond an election timeout (10 ticks)
    assertEquals(
        "etcdserver: unhealthy cluster", error(leader.membership().add(List.of(peer(4)), false)));
    // A learner does not count towards quorums: no health check (etcd).
    get(leader.membership().add(List.of(peer(4)), true));
    // A member that is down is safe to remove.
    MembershipService.Result r = get(leader.membership().remove(silent.status().id()));
    assertFalse(r.members().stream().anyMatch(m -> m.id() == silent.status().id()));
  }

  @Test
  void moveLeaderAndTransferBeforeStop() throws Exception {
    startCluster(true);
    KvServer leader = leader();
    KvServer target = follower();
    assertEquals("etcdserver: not leader", error(target.membership().moveLeader(1)));
    assertEquals("etcdserver: bad leader transferee", error(leader.membership().moveLeader(42)));
    get(leader.membership().moveLeader(target.status().id()));
    assertEquals(target.status().id(), leader.status().leader());
    await("the target leads", () -> target.status().role() == Role.LEADER);

    assertTrue(target.membership().transferLeadershipBeforeStop(5_000));
    KvServer next = leader();
    assertNotEquals(target, next);
    assertFalse(next.status().id() == target.status().id());
    get(next.propose(PutRequest.of("k", "v")));
  }
}
