package io.kvorum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A follower stopped with SIGSTOP while the cluster writes past two snapshots catches up, after
 * SIGCONT, by installing the leader's snapshot: etcd's snapshot-count at work, on three Payara
 * Micro members driven by the real etcdctl 3.4.
 */
class SnapshotCatchUpClusterTest {
  /** Own ports and cluster directory: other clusters may run on this machine at the same time. */
  private static final int OFFSET = 600;

  private static final int SNAPSHOT_COUNT = 100;

  /**
   * One entry per append, more than the leader keeps in flight to one follower (256 appends): what
   * the stopped follower misses past those is compacted away by the leader's snapshots, so it
   * cannot be sent as entries (what was in flight waits in socket buffers and arrives on SIGCONT).
   */
  private static final int WRITES = 400;

  private static final int[] CLIENT_PORTS = {2379 + OFFSET, 22379 + OFFSET, 32379 + OFFSET};
  private static final Pattern MEMBER = Pattern.compile("\"member_id\":(\\d+)");
  private static final Pattern LEADER = Pattern.compile("\"leader\":(\\d+)");
  private static final Pattern APPLIED = Pattern.compile("\"raftAppliedIndex\":(\\d+)");
  private static Map<String, String> env;

  private static String endpoint(int i) {
    return "--endpoints=127.0.0.1:" + CLIENT_PORTS[i];
  }

  private static long field(Pattern p, String json) {
    Matcher m = p.matcher(json);
    assertTrue(m.find(), p + " in " + json);
    return Long.parseUnsignedLong(m.group(1));
  }

  private static String status(int i) {
    KvorumCli.Result r = KvorumCli.etcdctl(endpoint(i), "-w", "json", "endpoint", "status");
    assertEquals(0, r.exit(), r.output());
    return r.output();
  }

  private static void signal(long pid, String sig) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    assertEquals(0, p.waitFor(), "kill -" + sig + " " + pid);
  }

  @AfterAll
  static void down() {
    if (env != null) {
      KvorumCli.run(env, "cluster", "down");
    }
  }

  @Test
  void aStoppedFollowerCatchesUpByTheLeadersSnapshot() throws Exception {
    Path dir = KvorumCli.freshDir("snapshot-cluster");
    env =
        Map.of(
            "KVORUM_CLUSTER_DIR", dir.toString(),
            "KVORUM_PORT_OFFSET", Integer.toString(OFFSET),
            "ETCD_SNAPSHOT_COUNT", Integer.toString(SNAPSHOT_COUNT));
    KvorumCli.Result up = KvorumCli.run(env, "cluster", "up");
    assertEquals(0, up.exit(), up.output());

    String first = status(0);
    long leaderId = field(LEADER, first);
    int leader = -1;
    int follower = -1;
    for (int i = 0; i < 3; i++) {
      if (field(MEMBER, status(i)) == leaderId) {
        leader = i;
      } else if (follower < 0) {
        follower = i;
      }
    }
    assertTrue(leader >= 0 && follower >= 0, first);
    long pid =
        Long.parseLong(Files.readString(dir.resolve("infra" + (follower + 1) + ".pid")).strip());

    KvorumCli.Result before = KvorumCli.etcdctl(endpoint(leader), "put", "before", "stop");
    assertEquals(0, before.exit(), before.output());
    signal(pid, "STOP");
    try {
      for (int i = 0; i < WRITES; i++) {
        KvorumCli.Result put = KvorumCli.etcdctl(endpoint(leader), "put", "k" + i, "v" + i);
        assertEquals(0, put.exit(), "put " + i + " with one member stopped: " + put.output());
      }
    } finally {
      signal(pid, "CONT");
    }
    long target = field(APPLIED, status(leader));
    long applied = 0;
    for (int i = 0; i < 120 && applied < target; i++) {
      applied = field(APPLIED, status(follower));
      if (applied < target) {
        Thread.sleep(500);
      }
    }
    assertTrue(applied >= target, "follower applied " + applied + " of " + target);
    String log = Files.readString(dir.resolve("infra" + (follower + 1) + ".log"));
    assertTrue(
        log.contains("restored its store from the snapshot"),
        "the follower caught up by a snapshot, not by log entries");
    KvorumCli.Result last =
        KvorumCli.etcdctl(
            endpoint(follower), "get", "--consistency=s", "--print-value-only", "k399");
    assertEquals("v399", last.output().strip(), last.output());
    KvorumCli.Result old =
        KvorumCli.etcdctl(
            endpoint(follower), "get", "--consistency=s", "--print-value-only", "before");
    assertEquals("stop", old.output().strip(), old.output());
    KvorumCli.Result count =
        KvorumCli.etcdctl(
            endpoint(follower),
            "get",
            "--consistency=s",
            "--prefix",
            "--limit=1",
            "-w",
            "json",
            "k");
    assertTrue(count.output().contains("\"count\":" + WRITES), count.output());
    KvorumCli.Result after = KvorumCli.etcdctl(endpoint(follower), "put", "after", "cont");
    assertEquals(0, after.exit(), after.output());
    KvorumCli.Result read =
        KvorumCli.etcdctl(endpoint(leader), "get", "--print-value-only", "after");
    assertEquals("cont", read.output().strip(), read.output());
  }
}
