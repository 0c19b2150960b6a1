package io.kvorum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code kvorum cluster up/status/down}: three members on etcd's local-cluster ports. */
class LocalClusterTest {
  private static final int[] CLIENT_PORTS = {2379, 22379, 32379};
  private static final int[] PEER_PORTS = {2380, 22380, 32380};

  private static void awaitHealth(int port, boolean healthy) throws InterruptedException {
    String want = "{\"health\":\"" + healthy + "\"}";
    String got = null;
    for (int i = 0; i < 120; i++) {
      HttpResponse<String> r = KvorumCli.get(port, "/health");
      got = r == null ? null : r.body();
      if (want.equals(got)) {
        return;
      }
      Thread.sleep(500);
    }
    assertEquals(want, got, "member on " + port);
  }

  @Test
  void upStartsThreeHealthyMembersAndDownLeavesNothingBehind() throws Exception {
    Path clusterDir = KvorumCli.freshDir("cluster");
    Map<String, String> env = Map.of("KVORUM_CLUSTER_DIR", clusterDir.toString());
    List<Long> pids = new ArrayList<>();
    try {
      KvorumCli.Result up = KvorumCli.run(env, "cluster", "up");
      assertEquals(0, up.exit(), up.output());
      assertTrue(up.output().contains("3 members healthy"), up.output());
      assertTrue(
          up.output().contains("endpoints: 127.0.0.1:2379,127.0.0.1:22379,127.0.0.1:32379"),
          up.output());
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = KvorumCli.get(CLIENT_PORTS[i], "/health");
        assertEquals("{\"health\":\"true\"}", r.body());
        pids.add(
            Long.parseLong(
                Files.readString(clusterDir.resolve("infra" + (i + 1) + ".pid")).strip()));
      }
      KvorumCli.Result status = KvorumCli.run(env, "cluster", "status");
      assertEquals(0, status.exit());
      assertEquals(
          3, status.output().lines().filter(l -> l.contains("running")).count(), status.output());
      assertTrue(status.output().contains("health true"), status.output());
      // The seed document's own checks, with the real etcdctl 3.4.
      String all = "--endpoints=127.0.0.1:2379,127.0.0.1:22379,127.0.0.1:32379";
      KvorumCli.Result endpoints = KvorumCli.etcdctl(all, "-w", "table", "endpoint", "status");
      assertEquals(0, endpoints.exit(), endpoints.output());
      assertEquals(
          1,
          endpoints
              .output()
              .lines()
              .filter(l -> l.matches(".*\\|\\s+true\\s+\\|\\s+false\\s+\\|.*"))
              .count(),
          "exactly one leader:\n" + endpoints.output());
      KvorumCli.Result health = KvorumCli.etcdctl(all, "endpoint", "health");
      assertEquals(0, health.exit(), health.output());
      assertEquals(3, health.output().lines().filter(l -> l.contains("is healthy")).count());
      KvorumCli.Result members =
          KvorumCli.etcdctl("--endpoints=127.0.0.1:2379", "-w", "table", "member", "list");
      assertEquals(0, members.exit(), members.output());
      for (String name : List.of("infra1", "infra2", "infra3")) {
        assertTrue(members.output().contains("| started | " + name + " |"), members.output());
      }
      // Writes on any member are read on all; a delete answers the count.
      assertEquals(
          "OK",
          KvorumCli.etcdctl("--endpoints=127.0.0.1:22379", "put", "foo", "bar").output().strip());
      assertEquals(
          "foo\nbar",
          KvorumCli.etcdctl("--endpoints=127.0.0.1:32379", "get", "foo").output().strip());
      assertEquals(
          "1", KvorumCli.etcdctl("--endpoints=127.0.0.1:2379", "del", "foo").output().strip());
      assertEquals(
          "", KvorumCli.etcdctl("--endpoints=127.0.0.1:22379", "get", "foo").output().strip());
      assertEquals(
          "OK",
          KvorumCli.etcdctl("--endpoints=127.0.0.1:2379", "put", "acked", "before-kill")
              .output()
              .strip());

      // Raft over Hazelcast with durable logs: a member killed with -9 leaves a healthy
      // majority; with a majority gone nothing is healthy; restarted members recover.
      ProcessHandle.of(pids.get(0)).ifPresent(ProcessHandle::destroyForcibly);
      awaitHealth(CLIENT_PORTS[1], true);
      awaitHealth(CLIENT_PORTS[2], true);
      ProcessHandle.of(pids.get(1)).ifPresent(ProcessHandle::destroyForcibly);
      awaitHealth(CLIENT_PORTS[2], false);
      KvorumCli.Result again = KvorumCli.run(env, "cluster", "up");
      assertEquals(0, again.exit(), again.output());
      assertTrue(again.output().contains("2 started now"), again.output());
      // Nothing acknowledged is lost: the restarted members read it from their own databases.
      for (int port : CLIENT_PORTS) {
        assertEquals(
            "acked\nbefore-kill",
            KvorumCli.etcdctl("--endpoints=127.0.0.1:" + port, "get", "acked").output().strip());
      }
      pids.clear();
      for (int i = 0; i < 3; i++) {
        assertEquals("{\"health\":\"true\"}", KvorumCli.get(CLIENT_PORTS[i], "/health").body());
        pids.add(
            Long.parseLong(
                Files.readString(clusterDir.resolve("infra" + (i + 1) + ".pid")).strip()));
      }
      for (long pid : pids) {
        String cmd = ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
        assertTrue(cmd.contains("kvorum-micro.jar"), "the PID is the member's JVM: " + cmd);
        List<ListeningSockets.Listen> listens = ListeningSockets.of(pid);
        assertTrue(listens.size() >= 2, "client and peer listeners: " + listens);
        for (ListeningSockets.Listen l : listens) {
          assertTrue(l.address().isLoopbackAddress(), "binds loopback only: " + listens);
        }
      }
    } finally {
      KvorumCli.Result down = KvorumCli.run(env, "cluster", "down");
      assertEquals(0, down.exit(), down.output());
    }
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "PID " + pid);
    }
    for (int i = 0; i < 3; i++) {
      assertFalse(KvorumCli.listening(CLIENT_PORTS[i]));
      assertFalse(KvorumCli.listening(PEER_PORTS[i]));
    }
    KvorumCli.Result after = KvorumCli.run(env, "cluster", "status");
    assertTrue(after.output().contains("no members started"), after.output());
  }
}
