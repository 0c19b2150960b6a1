package io.kvorum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real etcdctl 3.4.23 against a three-member cluster started with {@code kvorum cluster up}:
 * {@code endpoint hashkv} and {@code endpoint status} on every member, {@code defrag}, {@code
 * snapshot save}, {@code alarm list}, and the client-side recipes {@code lock} and {@code elect}.
 *
 * <p>The cluster runs with {@code KVORUM_PORT_OFFSET=400} (clients 2779, 22779, 32779) and its own
 * cluster directory, so it can run beside other local clusters; it is taken down after the class.
 */
class EtcdctlMaintenanceTest {
  private static final Map<String, String> ENV =
      Map.of(
          "KVORUM_PORT_OFFSET",
          "400",
          "KVORUM_CLUSTER_DIR",
          KvorumCli.WORK.resolve("cluster-maint").toString());
  private static final List<String> ENDPOINTS =
      List.of("127.0.0.1:2779", "127.0.0.1:22779", "127.0.0.1:32779");
  private static final String ALL = "--endpoints=" + String.join(",", ENDPOINTS);
  private static final String ONE = "--endpoints=" + ENDPOINTS.get(0);

  private final List<Process> background = new ArrayList<>();

  @BeforeAll
  static void clusterUp() throws Exception {
    KvorumCli.freshDir("cluster-maint");
    KvorumCli.Result up = KvorumCli.run(ENV, "cluster", "up");
    assertEquals(0, up.exit(), up.output());
    assertTrue(up.output().contains("endpoints: " + String.join(",", ENDPOINTS)), up.output());
  }

  @AfterAll
  static void clusterDown() {
    KvorumCli.Result down = KvorumCli.run(ENV, "cluster", "down");
    assertEquals(0, down.exit(), down.output());
  }

  @AfterEach
  void stopBackgroundEtcdctls() {
    background.forEach(Process::destroyForcibly);
  }

  private static KvorumCli.Result ok(String... args) {
    KvorumCli.Result r = KvorumCli.etcdctl(args);
    assertEquals(0, r.exit(), "etcdctl " + String.join(" ", args) + ":\n" + r.output());
    return r;
  }

  /** etcdctl's JSON (its stderr warnings, merged into the output, come as other lines). */
  private static JsonArray json(KvorumCli.Result r) {
    String line =
        r.output().lines().filter(l -> l.startsWith("[{") || l.startsWith("{")).findFirst().get();
    JsonElement e = JsonParser.parseString(line);
    return e.isJsonArray() ? e.getAsJsonArray() : wrap(e);
  }

  private static JsonArray wrap(JsonElement e) {
    JsonArray a = new JsonArray();
    a.add(e);
    return a;
  }

  @Test
  void hashkvIsEqualOnAllMembersAfterWrites() throws Exception {
    long rev = 0;
    for (int i = 0; i < 30; i++) {
      KvorumCli.Result put =
          ok("--endpoints=" + ENDPOINTS.get(i % 3), "-w", "json", "put", "hk/" + i, "value-" + i);
      rev =
          json(put).get(0).getAsJsonObject().getAsJsonObject("header").get("revision").getAsLong();
    }
    ok(ONE, "del", "hk/7");
    // every member answers for the same revision once it has applied it
    Set<Long> hashes = new HashSet<>();
    String output = "";
    for (int attempt = 0; attempt < 40; attempt++) {
      KvorumCli.Result r =
          KvorumCli.etcdctl(ALL, "-w", "json", "endpoint", "hashkv", "--rev", "" + rev);
      output = r.output();
      if (r.exit() == 0) {
        hashes.clear();
        for (JsonElement e : json(r)) {
          JsonObject h = e.getAsJsonObject().getAsJsonObject("HashKV");
          hashes.add(h.get("hash").getAsLong());
          assertEquals(-1, h.get("compact_revision").getAsLong(), output);
        }
        if (json(r).size() == 3) {
          break;
        }
      }
      Thread.sleep(250);
    }
    assertEquals(1, hashes.size(), "one hash on three members at revision " + rev + ":\n" + output);

    // at the current revision too, once the delete has reached everyone
    KvorumCli.Result now = ok(ALL, "-w", "json", "endpoint", "hashkv");
    Set<Long> current = new HashSet<>();
    for (JsonElement e : json(now)) {
      current.add(e.getAsJsonObject().getAsJsonObject("HashKV").get("hash").getAsLong());
    }
    assertEquals(1, current.size(), now.output());
    assertFalse(current.equals(hashes), "the delete changed the hash");

    KvorumCli.Result future = KvorumCli.etcdctl(ONE, "endpoint", "hashkv", "--rev", "100000000");
    assertEquals(1, future.exit(), future.output());
    assertTrue(
        future.output().contains("etcdserver: mvcc: required revision is a future revision"),
        future.output());
  }

  @Test
  void endpointStatusJsonOnEveryMember() {
    JsonArray all = json(ok(ALL, "-w", "json", "endpoint", "status"));
    assertEquals(3, all.size(), all.toString());
    Set<String> leaders = new HashSet<>();
    Set<String> terms = new HashSet<>();
    int leading = 0;
    for (JsonElement e : all) {
      JsonObject s = e.getAsJsonObject().getAsJsonObject("Status");
      assertEquals("3.4.23", s.get("version").getAsString(), s.toString());
      String leader = s.get("leader").getAsString();
      leaders.add(leader);
      terms.add(s.get("raftTerm").getAsString());
      if (leader.equals(s.getAsJsonObject("header").get("member_id").getAsString())) {
        leading++;
      }
      long db = s.get("dbSize").getAsLong();
      long inUse = s.get("dbSizeInUse").getAsLong();
      assertTrue(db > 0 && inUse > 0 && inUse <= db, s.toString());
      assertTrue(
          s.get("raftIndex").getAsLong() >= s.get("raftAppliedIndex").getAsLong(), s.toString());
      assertTrue(s.get("raftAppliedIndex").getAsLong() > 0, s.toString());
      assertFalse(s.has("errors"), "no alarm, a leader: " + s);
      assertFalse(s.has("isLearner"), s.toString());
    }
    assertEquals(1, leaders.size(), "one leader seen by all: " + all);
    assertEquals(1, terms.size(), all.toString());
    assertEquals(1, leading, all.toString());
  }

  @Test
  void defragEveryMember() {
    long[] before = dbSizes();
    KvorumCli.Result r = ok(ALL, "defrag");
    for (String endpoint : ENDPOINTS) {
      assertTrue(
          r.output().contains("Finished defragmenting etcd member[" + endpoint + "]"), r.output());
    }
    long[] after = dbSizes();
    System.out.printf(
        "dbSize before defrag %s, after %s%n",
        java.util.Arrays.toString(before), java.util.Arrays.toString(after));
    for (long a : after) {
      assertTrue(a > 0);
    }
    ok(ONE, "put", "after-defrag", "still-writable");
  }

  private static long[] dbSizes() {
    JsonArray all = json(ok(ALL, "-w", "json", "endpoint", "status"));
    long[] sizes = new long[all.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = all.get(i).getAsJsonObject().getAsJsonObject("Status").get("dbSize").getAsLong();
    }
    return sizes;
  }

  /**
   * {@code snapshot save} streams Kvorum's own snapshot format (docs/maintenance.md): etcdctl saves
   * it (its only check: n × 512 bytes plus a SHA-256), but its offline commands, which open the
   * file as bbolt, cannot read it, as for any non-etcd file.
   */
  @Test
  void snapshotSaveSucceeds() throws Exception {
    ok(ONE, "put", "snap/a", "1");
    Path file = KvorumCli.WORK.resolve("maint-snapshot.db");
    Files.deleteIfExists(file);
    KvorumCli.Result r = ok(ONE, "snapshot", "save", file.toString());
    assertTrue(r.output().contains("Snapshot saved at " + file), r.output());
    byte[] bytes = Files.readAllBytes(file);
    assertEquals(32, bytes.length % 512);
    assertEquals("KVSNAP01", new String(bytes, 0, 8, StandardCharsets.US_ASCII));
    KvorumCli.Result status = KvorumCli.etcdctl("snapshot", "status", file.toString());
    assertEquals(1, status.exit());
    assertTrue(status.output().contains("Error: invalid database"), status.output());
  }

  @Test
  void alarmListIsEmpty() {
    KvorumCli.Result r = ok(ALL, "alarm", "list");
    assertEquals("", r.output().strip());
  }

  // ---- lock and elect: etcdctl runs them client-side over Lease, Txn, Range and Watch

  private static void assumeSessionsServed() {
    KvorumCli.Result grant = KvorumCli.etcdctl(ONE, "lease", "grant", "5");
    assumeTrue(
        grant.exit() == 0,
        "etcdctl lock/elect need the Lease, Txn and Watch services: " + grant.output());
  }

  private Process etcdctlInBackground(Path out, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("etcdctl", ONE));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    background.add(p);
    return p;
  }

  private static void interrupt(Process p) throws Exception {
    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "etcdctl ends on SIGINT");
  }

  private static String awaitOutput(Path out, Predicate<String> done, long millis)
      throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    String s = "";
    while (System.currentTimeMillis() < deadline) {
      s = Files.exists(out) ? Files.readString(out) : "";
      if (done.test(s)) {
        return s;
      }
      Thread.sleep(100);
    }
    return s;
  }

  private static boolean holds(String output, String prefix) {
    return output.lines().anyMatch(l -> l.startsWith(prefix + "/"));
  }

  @Test
  void lockIsMutuallyExclusiveAndReleasedByUnlockOrLeaseExpiry() throws Exception {
    assumeSessionsServed();
    Path a = KvorumCli.WORK.resolve("lock-a.out");
    Path b = KvorumCli.WORK.resolve("lock-b.out");
    Path c = KvorumCli.WORK.resolve("lock-c.out");
    Process first = etcdctlInBackground(a, "lock", "maint-lock");
    assertTrue(holds(awaitOutput(a, s -> holds(s, "maint-lock"), 20_000), "maint-lock"));
    Process second = etcdctlInBackground(b, "lock", "maint-lock");
    assertFalse(
        holds(awaitOutput(b, s -> holds(s, "maint-lock"), 3_000), "maint-lock"),
        "the second locker waits while the first holds the lock");
    interrupt(first); // etcdctl unlocks on SIGINT
    assertTrue(
        holds(awaitOutput(b, s -> holds(s, "maint-lock"), 20_000), "maint-lock"),
        Files.readString(b));

    // a holder killed with -9 unlocks nothing: its session lease (--ttl 10 s) expires
    Process third = etcdctlInBackground(c, "lock", "maint-lock");
    assertFalse(holds(awaitOutput(c, s -> holds(s, "maint-lock"), 2_000), "maint-lock"));
    second.destroyForcibly().waitFor();
    assertTrue(
        holds(awaitOutput(c, s -> holds(s, "maint-lock"), 40_000), "maint-lock"),
        Files.readString(c));
    interrupt(third);
  }

  @Test
  void electChoosesOneLeaderAndListenFollowsIt() throws Exception {
    assumeSessionsServed();
    Path watch = KvorumCli.WORK.resolve("elect-l.out");
    Path a = KvorumCli.WORK.resolve("elect-a.out");
    Path b = KvorumCli.WORK.resolve("elect-b.out");
    etcdctlInBackground(watch, "elect", "-l", "maint-elect");
    Process first = etcdctlInBackground(a, "elect", "maint-elect", "proposal-1");
    assertTrue(awaitOutput(a, s -> s.contains("proposal-1"), 20_000).contains("proposal-1"));
    etcdctlInBackground(b, "elect", "maint-elect", "proposal-2");
    assertFalse(
        awaitOutput(b, s -> s.contains("proposal-2"), 3_000).contains("proposal-2"),
        "one leader at a time");
    assertTrue(awaitOutput(watch, s -> s.contains("proposal-1"), 10_000).contains("proposal-1"));
    interrupt(first); // etcdctl resigns on SIGINT
    assertTrue(
        awaitOutput(b, s -> s.contains("proposal-2"), 20_000).contains("proposal-2"),
        Files.readString(b));
    String seen = awaitOutput(watch, s -> s.contains("proposal-2"), 20_000);
    assertTrue(seen.indexOf("proposal-1") < seen.indexOf("proposal-2"), seen);
  }
}
