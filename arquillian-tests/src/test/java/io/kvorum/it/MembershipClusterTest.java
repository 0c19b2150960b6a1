package io.kvorum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;

/**
 * Runtime membership with the real etcdctl 3.4 against members started with bin/kvorum: add a
 * learner, start it with {@code --initial-cluster-state existing}, promote it, remove an old
 * member, move the leader, and stop the leader with SIGTERM (it hands leadership over first).
 *
 * <p>Its own cluster directory and {@code KVORUM_PORT_OFFSET=300} (clients 2679, 22679, 32679; the
 * added member 42679, peers one above), so it runs beside other local clusters.
 */
class MembershipClusterTest {
  private static final String OFFSET = "300";
  private static final int[] CLIENT = {2679, 22679, 32679, 42679};
  private static final Pattern ADDED = Pattern.compile("Member ([0-9a-f]+) added to cluster");
  private static final Pattern INITIAL = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]+)\"");

  private static Path clusterDir;
  private static Process fourth;

  private static Map<String, String> env() {
    return Map.of("KVORUM_CLUSTER_DIR", clusterDir.toString(), "KVORUM_PORT_OFFSET", OFFSET);
  }

  @AfterAll
  static void down() throws Exception {
    if (fourth != null) {
      fourth.destroy();
      if (!fourth.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        fourth.destroyForcibly();
      }
    }
    if (clusterDir != null) {
      KvorumCli.run(env(), "cluster", "down");
    }
  }

  private static String endpoints(int... members) {
    List<String> eps = new ArrayList<>();
    for (int m : members) {
      eps.add("127.0.0.1:" + CLIENT[m - 1]);
    }
    return "--endpoints=" + String.join(",", eps);
  }

  /** Runs etcdctl until {@code ok} holds for its result (exit 0 and output), for at most 60 s. */
  private static KvorumCli.Result until(Predicate<KvorumCli.Result> ok, String... args)
      throws InterruptedException {
    KvorumCli.Result r = null;
    for (int i = 0; i < 60; i++) {
      r = KvorumCli.etcdctl(args);
      if (r.exit() == 0 && ok.test(r)) {
        return r;
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError("etcdctl " + String.join(" ", args) + ":\n" + r.output());
  }

  /** The member id (decimal header.member_id) and the leader it names (0: none), via status. */
  private static long[] status(int member) throws InterruptedException {
    KvorumCli.Result r = until(o -> true, endpoints(member), "endpoint", "status", "-w", "json");
    Matcher id = Pattern.compile("\"member_id\":(\\d+)").matcher(r.output());
    // JSON leaves out zero fields: no "leader" while there is none.
    Matcher leader = Pattern.compile("\"leader\":(\\d+)").matcher(r.output());
    assertTrue(id.find(), r.output());
    return new long[] {
      Long.parseUnsignedLong(id.group(1)),
      leader.find() ? Long.parseUnsignedLong(leader.group(1)) : 0
    };
  }

  private static int leaderOf(int... members) throws InterruptedException {
    for (int attempt = 0; attempt < 60; attempt++) {
      for (int m : members) {
        long[] s = status(m);
        if (s[0] == s[1]) {
          return m;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no leader among " + java.util.Arrays.toString(members));
  }

  private static long pid(int member) throws Exception {
    if (member == 4) {
      return fourth.pid();
    }
    return Long.parseLong(Files.readString(clusterDir.resolve("infra" + member + ".pid")).strip());
  }

  @Test
  void learnerJoinsIsPromotedOldMemberRemovedLeaderMovedAndStoppedGracefully() throws Exception {
    clusterDir = KvorumCli.freshDir("membership-cluster");
    KvorumCli.Result up = KvorumCli.run(env(), "cluster", "up");
    assertEquals(0, up.exit(), up.output());
    String three = endpoints(1, 2, 3);
    until(r -> r.output().contains("OK"), three, "put", "before", "join");
    until(
        r -> r.output().lines().filter(l -> l.contains("| started |")).count() == 3,
        three,
        "member",
        "list",
        "-w",
        "table");

    // MemberAdd as etcd prints it; the new member then starts with initial-cluster-state existing.
    KvorumCli.Result add =
        KvorumCli.etcdctl(
            three, "member", "add", "infra4", "--peer-urls=http://127.0.0.1:42680", "--learner");
    assertEquals(0, add.exit(), add.output());
    Matcher added = ADDED.matcher(add.output());
    Matcher initial = INITIAL.matcher(add.output());
    assertTrue(added.find() && initial.find(), add.output());
    String id4 = added.group(1);
    assertTrue(add.output().contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\""), add.output());
    KvorumCli.Result second =
        KvorumCli.etcdctl(
            three, "member", "add", "infra5", "--peer-urls=http://127.0.0.1:52680", "--learner");
    assertNotEquals(0, second.exit());
    assertTrue(
        second.output().contains("etcdserver: too many learner members in cluster"),
        second.output());

    Path log = clusterDir.resolve("infra4.log");
    fourth =
        KvorumCli.start(
            log,
            Map.of(),
            "member",
            "--name",
            "infra4",
            "--data-dir",
            clusterDir.resolve("infra4.etcd").toString(),
            "--listen-client-urls",
            "http://127.0.0.1:42679",
            "--advertise-client-urls",
            "http://127.0.0.1:42679",
            "--listen-peer-urls",
            "http://127.0.0.1:42680",
            "--initial-advertise-peer-urls",
            "http://127.0.0.1:42680",
            "--initial-cluster",
            initial.group(1),
            "--initial-cluster-token",
            "kvorum-local",
            "--initial-cluster-state",
            "existing");
    KvorumCli.awaitUp(42679, fourth, log);
    // It caught up: the key written before it joined, read locally (serializable) from it.
    until(
        r -> r.output().contains("before\njoin"), endpoints(4), "get", "before", "--consistency=s");
    until(
        r -> r.output().contains("| started | infra4 |"),
        endpoints(1),
        "member",
        "list",
        "-w",
        "table");

    // As a learner it serves serializable reads and Status only, as etcd's learners do.
    KvorumCli.Result refused = KvorumCli.etcdctl(endpoints(4), "put", "to", "learner");
    assertTrue(
        refused.exit() != 0
            && refused.output().contains("etcdserver: rpc not supported for learner"),
        refused.output());
    KvorumCli.Result learnerStatus =
        KvorumCli.etcdctl(endpoints(4), "-w", "json", "endpoint", "status");
    assertTrue(learnerStatus.output().contains("\"isLearner\":true"), learnerStatus.output());

    // Promote (any member: a follower forwards it to the leader), then all four vote.
    until(r -> r.output().contains("promoted"), three, "member", "promote", id4);
    KvorumCli.Result list =
        until(
            r -> r.output().lines().filter(l -> l.matches(".*\\|\\s+false\\s+\\|$")).count() == 4,
            endpoints(4),
            "member",
            "list",
            "-w",
            "table");
    assertFalse(list.output().matches("(?s).*\\|\\s+true\\s+\\|.*"), list.output());

    // Remove an old member: it stops; the others keep serving writes.
    String id3 = Long.toHexString(status(3)[0]);
    long pid3 = pid(3);
    KvorumCli.Result removed = KvorumCli.etcdctl(endpoints(1, 2, 4), "member", "remove", id3);
    assertEquals(0, removed.exit(), removed.output());
    // etcdctl prints the id as %16x (space-padded).
    assertTrue(
        removed.output().matches("(?s).*Member\\s+" + id3 + " removed from cluster.*"),
        removed.output());
    for (int i = 0;
        i < 120 && ProcessHandle.of(pid3).map(ProcessHandle::isAlive).orElse(false);
        i++) {
      Thread.sleep(500);
    }
    assertFalse(ProcessHandle.of(pid3).map(ProcessHandle::isAlive).orElse(false), "infra3 stopped");
    until(r -> r.output().contains("OK"), endpoints(1, 2, 4), "put", "after", "remove");

    // MoveLeader to a follower, through the leader.
    int leader = leaderOf(1, 2, 4);
    int target = leader == 4 ? 1 : 4;
    long targetId = status(target)[0];
    KvorumCli.Result notLeader =
        KvorumCli.etcdctl(endpoints(target), "move-leader", Long.toHexString(targetId));
    // etcdctl itself finds no leader among the endpoints given (as with etcd).
    assertNotEquals(0, notLeader.exit());
    assertTrue(notLeader.output().contains("no leader endpoint given"), notLeader.output());
    KvorumCli.Result moved =
        KvorumCli.etcdctl(endpoints(1, 2, 4), "move-leader", Long.toHexString(targetId));
    assertEquals(0, moved.exit(), moved.output());
    assertTrue(moved.output().contains("Leadership transferred"), moved.output());
    assertEquals(target, leaderOf(1, 2, 4));

    // SIGTERM to the leader: it hands leadership over, a new leader serves writes at once.
    List<Integer> rest = new ArrayList<>(List.of(1, 2, 4));
    rest.remove(Integer.valueOf(target));
    long stopAt = System.nanoTime();
    ProcessHandle stopped = ProcessHandle.of(pid(target)).orElseThrow();
    stopped.destroy();
    int next = leaderOf(rest.get(0), rest.get(1));
    long millis = (System.nanoTime() - stopAt) / 1_000_000;
    assertTrue(millis < 30_000, "new leader after " + millis + " ms");
    until(
        r -> r.output().contains("OK"),
        endpoints(rest.get(0), rest.get(1)),
        "put",
        "after",
        "sigterm");
    until(r -> r.output().contains("after\nsigterm"), endpoints(next), "get", "after");
    stopped.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    String stoppedLog = Files.readString(clusterDir.resolve("infra" + target + ".log"));
    // The stopping member knew it was the leader and tried to hand over (the line goes to the raw
    // stderr: Payara's logging may already be shut down when the JVM's shutdown hook runs).
    assertTrue(
        stoppedLog.contains("stopping: leadership h"),
        "the stopped leader started a hand-over:\n"
            + stoppedLog.substring(Math.max(0, stoppedLog.length() - 3000)));
    System.out.println("new leader " + millis + " ms after SIGTERM to the leader");
  }
}
