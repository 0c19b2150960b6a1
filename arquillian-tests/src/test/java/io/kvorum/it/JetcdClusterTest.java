package io.kvorum.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jetcd 0.8.7, the Java etcd client, against a three-member cluster from {@code kvorum cluster up}:
 * KV, txn, watch (history, prev_kv, cancel, compacted), lease expiry deleting keys with DELETE
 * events, and the member list. Each client is given all three endpoints, as users configure it.
 *
 * <p>Own port offset and directory (clients on 3079, 23079, 33079), so it can run beside other
 * local clusters.
 */
class JetcdClusterTest {
  private static final int PORT_OFFSET = 700;
  private static final List<String> ENDPOINTS =
      List.of(2379, 22379, 32379).stream()
          .map(p -> "http://127.0.0.1:" + (p + PORT_OFFSET))
          .toList();
  private static Map<String, String> env;
  private static Client client;

  @BeforeAll
  static void clusterUp() throws Exception {
    Path dir = KvorumCli.freshDir("jetcd-cluster");
    env =
        Map.of(
            "KVORUM_CLUSTER_DIR",
            dir.toString(),
            "KVORUM_PORT_OFFSET",
            String.valueOf(PORT_OFFSET));
    KvorumCli.Result up = KvorumCli.run(env, "cluster", "up");
    assertEquals(0, up.exit(), up.output());
    client = Client.builder().endpoints(ENDPOINTS.toArray(String[]::new)).build();
  }

  @AfterAll
  static void clusterDown() {
    if (client != null) {
      client.close();
    }
    if (env != null) {
      KvorumCli.Result down = KvorumCli.run(env, "cluster", "down");
      assertEquals(0, down.exit(), down.output());
    }
  }

  private static ByteSequence b(String s) {
    return ByteSequence.from(s, UTF_8);
  }

  private static String s(ByteSequence b) {
    return b.toString(UTF_8);
  }

  private static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void putGetPrefixDeleteAndTxn() throws Exception {
    KV kv = client.getKVClient();
    long rev = get(kv.put(b("jkv/a"), b("1"))).getHeader().getRevision();
    get(kv.put(b("jkv/b"), b("2")));
    get(kv.put(b("jkv/c"), b("3")));
    var all = get(kv.get(b("jkv/"), GetOption.builder().isPrefix(true).build()));
    assertEquals(3, all.getCount());
    assertEquals(List.of("1", "2", "3"), all.getKvs().stream().map(k -> s(k.getValue())).toList());
    var limited =
        get(
            kv.get(
                b("jkv/"),
                GetOption.builder()
                    .isPrefix(true)
                    .withLimit(1)
                    .withSortOrder(GetOption.SortOrder.DESCEND)
                    .withSortField(GetOption.SortTarget.KEY)
                    .build()));
    assertEquals(3, limited.getCount());
    assertTrue(limited.isMore());
    assertEquals("jkv/c", s(limited.getKvs().get(0).getKey()));
    var atRev =
        get(kv.get(b("jkv/"), GetOption.builder().isPrefix(true).withRevision(rev).build()));
    assertEquals(1, atRev.getCount(), "only jkv/a existed at its own revision");
    var put = get(kv.put(b("jkv/a"), b("1b"), PutOption.builder().withPrevKV().build()));
    assertTrue(put.hasPrevKv());
    assertEquals("1", s(put.getPrevKv().getValue()));

    TxnResponse won =
        get(
            kv.txn()
                .If(new Cmp(b("jkv/a"), Cmp.Op.EQUAL, CmpTarget.value(b("1b"))))
                .Then(Op.put(b("jkv/a"), b("swapped"), PutOption.DEFAULT))
                .Else(Op.get(b("jkv/a"), GetOption.DEFAULT))
                .commit());
    assertTrue(won.isSucceeded());
    assertEquals(1, won.getPutResponses().size());
    TxnResponse lost =
        get(
            kv.txn()
                .If(new Cmp(b("jkv/a"), Cmp.Op.EQUAL, CmpTarget.value(b("1b"))))
                .Then(Op.put(b("jkv/a"), b("never"), PutOption.DEFAULT))
                .Else(Op.get(b("jkv/a"), GetOption.DEFAULT))
                .commit());
    assertFalse(lost.isSucceeded());
    assertEquals("swapped", s(lost.getGetResponses().get(0).getKvs().get(0).getValue()));
    TxnResponse byVersion =
        get(
            kv.txn()
                .If(new Cmp(b("jkv/b"), Cmp.Op.EQUAL, CmpTarget.version(1)))
                .Then(Op.delete(b("jkv/b"), DeleteOption.DEFAULT))
                .commit());
    assertTrue(byVersion.isSucceeded());

    var deleted =
        get(kv.delete(b("jkv/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));
    assertEquals(2, deleted.getDeleted());
    assertEquals(
        List.of("jkv/a", "jkv/c"), deleted.getPrevKvs().stream().map(k -> s(k.getKey())).toList());
    assertEquals(0, get(kv.get(b("jkv/"), GetOption.builder().isPrefix(true).build())).getCount());
  }

  @Test
  void watchReplaysHistoryWithPrevKvThenFollowsLiveWritesUntilCancelled() throws Exception {
    KV kv = client.getKVClient();
    long start = get(kv.put(b("jw/x"), b("1"))).getHeader().getRevision();
    get(kv.put(b("jw/x"), b("2")));
    get(kv.delete(b("jw/x")));
    BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    Watch.Watcher watcher =
        client
            .getWatchClient()
            .watch(
                b("jw/"),
                WatchOption.builder().isPrefix(true).withRevision(start).withPrevKV(true).build(),
                (WatchResponse r) -> events.addAll(r.getEvents()));
    try {
      WatchEvent first = events.poll(30, TimeUnit.SECONDS);
      assertEquals(WatchEvent.EventType.PUT, first.getEventType());
      assertEquals("1", s(first.getKeyValue().getValue()));
      WatchEvent second = events.poll(30, TimeUnit.SECONDS);
      assertEquals("2", s(second.getKeyValue().getValue()));
      assertEquals("1", s(second.getPrevKV().getValue()), "prev_kv of the second put");
      WatchEvent third = events.poll(30, TimeUnit.SECONDS);
      assertEquals(WatchEvent.EventType.DELETE, third.getEventType());
      assertEquals("2", s(third.getPrevKV().getValue()));
      get(kv.put(b("jw/live"), b("now")));
      WatchEvent live = events.poll(30, TimeUnit.SECONDS);
      assertEquals("jw/live", s(live.getKeyValue().getKey()));
    } finally {
      watcher.close();
    }
    Thread.sleep(1_000); // the cancel reaches the member
    get(kv.put(b("jw/after-cancel"), b("x")));
    assertEquals(null, events.poll(2, TimeUnit.SECONDS), "no event after cancel");
  }

  @Test
  void aWatchFromACompactedRevisionFailsWithTheCompactRevision() throws Exception {
    KV kv = client.getKVClient();
    long old = get(kv.put(b("jc/k"), b("1"))).getHeader().getRevision();
    long now = get(kv.put(b("jc/k"), b("2"))).getHeader().getRevision();
    get(kv.compact(now, CompactOption.builder().withCompactPhysical(true).build()));
    BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    try (Watch.Watcher w =
        client
            .getWatchClient()
            .watch(
                b("jc/k"),
                WatchOption.builder().withRevision(old).build(),
                Watch.listener(r -> {}, errors::add))) {
      Throwable t = errors.poll(30, TimeUnit.SECONDS);
      CompactedException c = assertInstanceOf(CompactedException.class, t);
      assertEquals(now, c.getCompactedRevision());
    }
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> get(kv.get(b("jc/k"), GetOption.builder().withRevision(old).build())));
    assertTrue(
        e.getCause().getMessage().contains("required revision has been compacted"),
        e.getCause().getMessage());
  }

  @Test
  void anExpiredLeaseDeletesItsKeysWithDeleteEvents() throws Exception {
    KV kv = client.getKVClient();
    long lease = get(client.getLeaseClient().grant(2)).getID();
    long rev =
        get(kv.put(b("jl/k"), b("v"), PutOption.builder().withLeaseId(lease).build()))
            .getHeader()
            .getRevision();
    var ttl =
        get(
            client
                .getLeaseClient()
                .timeToLive(
                    lease, io.etcd.jetcd.options.LeaseOption.builder().withAttachedKeys().build()));
    assertEquals(List.of("jl/k"), ttl.getKeys().stream().map(JetcdClusterTest::s).toList());
    BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    try (Watch.Watcher w =
        client
            .getWatchClient()
            .watch(
                b("jl/k"),
                WatchOption.builder().withRevision(rev + 1).build(),
                (WatchResponse r) -> events.addAll(r.getEvents()))) {
      WatchEvent gone = events.poll(30, TimeUnit.SECONDS);
      assertEquals(WatchEvent.EventType.DELETE, gone.getEventType(), "the lease expired");
      assertEquals("jl/k", s(gone.getKeyValue().getKey()));
    }
    assertEquals(0, get(kv.get(b("jl/k"))).getCount());
    assertEquals(
        -1,
        get(client.getLeaseClient().timeToLive(lease, io.etcd.jetcd.options.LeaseOption.DEFAULT))
            .getTTL());
  }

  @Test
  void aLearnerIsAddedUpdatedPromotionRefusedWhileBehindAndRemoved() throws Exception {
    var cluster = client.getClusterClient();
    java.net.URI peer = java.net.URI.create("http://127.0.0.1:" + (42380 + PORT_OFFSET));
    var added = get(cluster.addMember(List.of(peer), true));
    Member learner = added.getMember();
    assertTrue(learner.isLearner());
    assertEquals(List.of(peer), learner.getPeerURIs());
    assertEquals(4, added.getMembers().size(), "the response lists the new member list");
    java.net.URI moved = java.net.URI.create("http://127.0.0.1:" + (42480 + PORT_OFFSET));
    get(cluster.updateMember(learner.getId(), List.of(moved)));
    assertEquals(
        List.of(moved),
        get(cluster.listMember()).getMembers().stream()
            .filter(m -> m.getId() == learner.getId())
            .findFirst()
            .orElseThrow()
            .getPeerURIs());
    var refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> get(cluster.promoteMember(learner.getId())));
    assertTrue(
        refused
            .getCause()
            .getMessage()
            .contains("can only promote a learner member which is in sync with leader"),
        refused.getCause().getMessage());
    get(cluster.removeMember(learner.getId()));
    assertEquals(3, get(cluster.listMember()).getMembers().size());
  }

  @Test
  void theMemberListNamesEveryMemberWithItsUrls() throws Exception {
    List<Member> members = get(client.getClusterClient().listMember()).getMembers();
    assertEquals(
        List.of("infra1", "infra2", "infra3"),
        members.stream().map(Member::getName).sorted().toList());
    for (Member m : members) {
      assertEquals(1, m.getPeerURIs().size(), m.getName());
      assertFalse(m.isLearner());
    }
    List<String> clientUrls =
        members.stream()
            .flatMap(m -> m.getClientURIs().stream())
            .map(Object::toString)
            .sorted()
            .toList();
    assertEquals(ENDPOINTS.stream().sorted().toList(), clientUrls, "every member's client URL");
  }
}
