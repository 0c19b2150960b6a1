package io.kvorum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real etcdctl 3.4.23 against a three-member cluster started with {@code kvorum cluster up}: KV
 * (get's flags, del, txn), watch, leases and compaction, each through a follower as well as the
 * leader. Outputs are asserted as real etcd 3.4.23 prints them.
 *
 * <p>The cluster runs with its own port offset and directory, so it can run beside other local
 * clusters: clients on 2479, 22479, 32479.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdctlKvLeaseWatchTest {
  private static final int PORT_OFFSET = 100;
  private static final String CLUSTER_DIR = "kvapi-cluster";
  private static final List<String> ENDPOINTS =
      List.of(2379, 22379, 32379).stream().map(p -> "127.0.0.1:" + (p + PORT_OFFSET)).toList();
  private static final Pattern STATUS =
      Pattern.compile(
          "\"Endpoint\":\"([^\"]+)\",\"Status\":\\{\"header\":\\{\"cluster_id\":\\d+,"
              + "\"member_id\":(\\d+),.*?\"leader\":(\\d+)");

  private static Map<String, String> env;
  private static String leader;
  private static String follower;

  @BeforeAll
  static void clusterUp() throws Exception {
    Path dir = KvorumCli.freshDir(CLUSTER_DIR);
    env =
        Map.of(
            "KVORUM_CLUSTER_DIR",
            dir.toString(),
            "KVORUM_PORT_OFFSET",
            String.valueOf(PORT_OFFSET));
    KvorumCli.Result up = KvorumCli.run(env, "cluster", "up");
    assertEquals(0, up.exit(), up.output());
    KvorumCli.Result status =
        KvorumCli.etcdctl(
            "--endpoints=" + String.join(",", ENDPOINTS), "-w", "json", "endpoint", "status");
    assertEquals(0, status.exit(), status.output());
    Matcher m = STATUS.matcher(status.output());
    while (m.find()) {
      if (m.group(2).equals(m.group(3))) {
        leader = m.group(1);
      } else {
        follower = m.group(1);
      }
    }
    assertTrue(leader != null && follower != null, "a leader and a follower: " + status.output());
  }

  @AfterAll
  static void clusterDown() {
    if (env != null) {
      KvorumCli.Result down = KvorumCli.run(env, "cluster", "down");
      assertEquals(0, down.exit(), down.output());
    }
  }

  private static String ok(String endpoint, String... args) {
    KvorumCli.Result r = ctl(endpoint, args);
    assertEquals(0, r.exit(), String.join(" ", args) + ":\n" + r.output());
    return r.output().strip();
  }

  private static KvorumCli.Result ctl(String endpoint, String... args) {
    List<String> all = new ArrayList<>();
    all.add("--endpoints=" + endpoint);
    all.addAll(List.of(args));
    return KvorumCli.etcdctl(all.toArray(String[]::new));
  }

  private static long revision(String endpoint) {
    Matcher m =
        Pattern.compile("\"revision\":(\\d+)").matcher(ok(endpoint, "get", "x", "-w", "json"));
    assertTrue(m.find());
    return Long.parseLong(m.group(1));
  }

  @Test
  @Order(1)
  void putGetWithItsFlagsAndDelOnFollowerAndLeader() {
    assertEquals("OK", ok(follower, "put", "k/a", "1"));
    assertEquals("OK", ok(follower, "put", "k/b", "2"));
    long bAt = revision(follower);
    assertEquals("OK", ok(leader, "put", "k/c", "3"));
    assertEquals("OK", ok(leader, "put", "k/b", "22"));

    assertEquals("k/a\n1\nk/b\n22\nk/c\n3", ok(follower, "get", "--prefix", "k/"));
    assertEquals("k/b\n22\nk/c\n3", ok(leader, "get", "--from-key", "k/b", "--limit", "2"));
    assertEquals(
        "k/b\nk/c\nk/a",
        ok(follower, "get", "--prefix", "k/", "--sort-by=MODIFY", "--order=DESCEND", "--keys-only")
            .replace("\n\n", "\n"));
    assertEquals(
        "k/c\n3\nk/b\n22",
        ok(leader, "get", "--prefix", "k/", "--sort-by=KEY", "--order=DESCEND", "--limit", "2"));
    assertEquals("k/b\n2", ok(follower, "get", "k/b", "--rev=" + bAt));

    String json = ok(follower, "get", "--prefix", "k/", "--limit", "1", "-w", "json");
    assertTrue(json.contains("\"more\":true,\"count\":3"), json);
    assertTrue(
        json.matches(
            "\\{\"header\":\\{\"cluster_id\":\\d+,\"member_id\":\\d+,\"revision\":\\d+,"
                + "\"raft_term\":\\d+},\"kvs\":\\[\\{\"key\":\"ay9h\",.*"),
        json);

    assertEquals("1", ok(leader, "del", "k/a"));
    assertEquals("2", ok(follower, "del", "--prefix", "k/"));
    assertEquals("", ok(leader, "get", "--prefix", "k/"));
  }

  @Test
  @Order(2)
  void txnTakesTheSuccessOrTheFailureBranch() {
    ok(leader, "put", "t/x", "1");
    String script = "mod(\"t/x\") > \"0\"\n\nput t/y yes\nget t/x\n\nput t/z no\n\n";
    KvorumCli.Result success = KvorumCli.etcdctlWithInput(script, "--endpoints=" + follower, "txn");
    assertEquals(0, success.exit(), success.output());
    assertEquals("SUCCESS\n\nOK\n\nt/x\n1", success.output().strip());

    String failing = "value(\"t/x\") = \"nope\"\n\nput t/y yes\n\nput t/z no\n\n";
    KvorumCli.Result failure = KvorumCli.etcdctlWithInput(failing, "--endpoints=" + leader, "txn");
    assertEquals(0, failure.exit(), failure.output());
    assertEquals("FAILURE\n\nOK", failure.output().strip());
    assertEquals("t/y\nyes\nt/z\nno", ok(follower, "get", "t/y", "t/z0"));
  }

  @Test
  @Order(3)
  void watchReplaysFromARevisionAndReceivesWritesMadeAfterItStarted() throws Exception {
    long from = revision(leader) + 1;
    Path replay = KvorumCli.WORK.resolve("watch-replay.out");
    Path live = KvorumCli.WORK.resolve("watch-live.out");
    Process fromRev =
        KvorumCli.startEtcdctl(
            replay, "--endpoints=" + follower, "watch", "--prefix", "w/", "--rev=" + from);
    Process now = KvorumCli.startEtcdctl(live, "--endpoints=" + leader, "watch", "--prefix", "w/");
    try {
      // the live watch is established once it prints a probe written after it started
      for (int i = 0; !Files.readString(live).contains("w/probe"); i++) {
        assertTrue(i < 100, "the live watch never saw a probe:\n" + Files.readString(live));
        ok(follower, "put", "w/probe", String.valueOf(i));
        Thread.sleep(200);
      }
      ok(leader, "put", "w/1", "a");
      ok(follower, "put", "w/2", "b");
      ok(follower, "del", "w/1");
      String tail = "PUT\nw/1\na\nPUT\nw/2\nb\nDELETE\nw/1\n\n"; // a DELETE prints an empty value
      await(live, out -> out.endsWith(tail));
      await(replay, out -> out.endsWith(tail) && out.startsWith("PUT\nw/probe\n0\n"));
    } finally {
      fromRev.destroy();
      now.destroy();
    }
  }

  private static void await(Path out, Predicate<String> done) throws Exception {
    for (int i = 0; i < 100 && !done.test(Files.readString(out)); i++) {
      Thread.sleep(100);
    }
    assertTrue(done.test(Files.readString(out)), out + ":\n" + Files.readString(out));
  }

  @Test
  @Order(4)
  void leaseGrantKeepAliveTimeToLiveListAndRevokeDeletesItsKeys() {
    String granted = ok(follower, "lease", "grant", "60");
    Matcher g = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\(60s\\)").matcher(granted);
    assertTrue(g.matches(), granted);
    String id = g.group(1);
    assertEquals("OK", ok(follower, "put", "--lease=" + id, "l/1", "v"));
    assertEquals("OK", ok(leader, "put", "--lease=" + id, "l/2", "v"));

    for (String endpoint : List.of(follower, leader)) {
      assertEquals(
          "lease " + id + " keepalived with TTL(60)",
          ok(endpoint, "lease", "keep-alive", "--once", id));
      String ttl = ok(endpoint, "lease", "timetolive", "--keys", id);
      assertTrue(
          ttl.matches(
              "lease "
                  + id
                  + " granted with TTL\\(60s\\), remaining\\((5\\d|60)s\\),"
                  + " attached keys\\(\\[l/1 l/2\\]\\)"),
          ttl);
      String list = ok(endpoint, "lease", "list");
      assertTrue(list.startsWith("found ") && list.lines().anyMatch(id::equals), list);
    }
    KvorumCli.Result unknown = ctl(follower, "lease", "keep-alive", "--once", "1234");
    assertTrue(
        unknown.output().contains("etcdserver: requested lease not found"), unknown.output());

    assertEquals("lease " + id + " revoked", ok(follower, "lease", "revoke", id));
    assertEquals("", ok(leader, "get", "--prefix", "l/"));
    assertEquals("lease " + id + " already expired", ok(follower, "lease", "timetolive", id));
    KvorumCli.Result again = ctl(leader, "lease", "revoke", id);
    assertNotEquals(0, again.exit());
    assertTrue(
        again
            .output()
            .contains("Error: failed to revoke lease (etcdserver: requested lease not found)"),
        again.output());
  }

  @Test
  @Order(5)
  void aKeepAliveStreamToAFollowerKeepsAShortLeaseAliveUntilItStops() throws Exception {
    String granted = ok(follower, "lease", "grant", "4");
    Matcher g = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\(4s\\)").matcher(granted);
    assertTrue(g.matches(), granted);
    String id = g.group(1);
    ok(follower, "put", "--lease=" + id, "ka/1", "v");
    Path out = KvorumCli.WORK.resolve("keep-alive.out");
    Process keepAlive =
        KvorumCli.startEtcdctl(out, "--endpoints=" + follower, "lease", "keep-alive", id);
    try {
      Thread.sleep(12_000); // three TTLs: the lease lives only if renewals reach the leader
      assertEquals("ka/1\nv", ok(leader, "get", "ka/1"));
      String renewals = Files.readString(out);
      assertTrue(
          renewals.lines().filter(("lease " + id + " keepalived with TTL(4)")::equals).count() >= 3,
          renewals);
    } finally {
      keepAlive.destroy();
    }
    for (int i = 0; i < 60 && !ok(leader, "get", "ka/1").isEmpty(); i++) {
      Thread.sleep(500);
    }
    assertEquals("", ok(follower, "get", "ka/1"), "expired once the keep-alives stopped");
  }

  @Test
  @Order(6)
  void compactionMakesOlderRevisionsUnreadable() {
    ok(leader, "put", "c/1", "old");
    long old = revision(leader);
    ok(follower, "put", "c/1", "new");
    long rev = revision(follower);
    assertEquals(
        "compacted revision " + rev, ok(follower, "compaction", "--physical", String.valueOf(rev)));
    for (String endpoint : List.of(follower, leader)) {
      KvorumCli.Result r = ctl(endpoint, "get", "c/1", "--rev=" + old);
      assertNotEquals(0, r.exit());
      assertTrue(
          r.output().contains("Error: etcdserver: mvcc: required revision has been compacted"),
          r.output());
      assertEquals("c/1\nnew", ok(endpoint, "get", "c/1", "--rev=" + rev));
    }
    KvorumCli.Result twice = ctl(leader, "compaction", String.valueOf(rev));
    assertTrue(
        twice.output().contains("Error: etcdserver: mvcc: required revision has been compacted"),
        twice.output());
    KvorumCli.Result watch = ctl(follower, "watch", "c/1", "--rev=" + old);
    assertTrue(
        watch
            .output()
            .contains(
                "watch was canceled (etcdserver: mvcc: required revision has been compacted)"),
        watch.output());
  }
}
