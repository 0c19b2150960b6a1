package io.kvorum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One member as a process, started by {@code kvorum member} like {@code etcd}. */
class MemberProcessTest {
  @Test
  void badValueStopsTheMemberBeforeItBindsAnyPort() throws Exception {
    Path dir = KvorumCli.freshDir("banana");
    Path conf = dir.resolve("etcd.yml");
    Files.writeString(
        conf,
        "name: banana\n"
            + "data-dir: "
            + dir.resolve("data")
            + "\nheartbeat-interval: banana\n"
            + "listen-client-urls: http://127.0.0.1:25379\n"
            + "advertise-client-urls: http://127.0.0.1:25379\n"
            + "listen-peer-urls: http://127.0.0.1:25380\n"
            + "initial-advertise-peer-urls: http://127.0.0.1:25380\n"
            + "initial-cluster: banana=http://127.0.0.1:25380\n");
    KvorumCli.Result r = KvorumCli.run(Map.of(), "member", "--config-file", conf.toString());
    assertEquals(1, r.exit(), r.output());
    assertEquals(
        "kvorum: heartbeat-interval: invalid value \"banana\" (expected a whole number of"
            + " milliseconds)",
        r.output().strip());
    assertFalse(KvorumCli.listening(25379));
    assertFalse(KvorumCli.listening(25380));
    assertFalse(Files.exists(dir.resolve("data")), "nothing is created for a bad config");
  }

  @Test
  void unknownFlagIsRefusedLikeEtcd() {
    KvorumCli.Result r = KvorumCli.run(Map.of(), "member", "--heartbeat-intervall", "100");
    assertEquals(1, r.exit(), r.output());
    assertTrue(r.output().contains("flag provided but not defined: -heartbeat-intervall"));
  }

  @Test
  void theSeedDocumentsConfigStartsAMember() throws Exception {
    // The seed's node1 config, with its host names (and 0.0.0.0: tests bind loopback only)
    // replaced by 127.0.0.1 (node2 and node3 on the local cluster's peer ports, as three members
    // on one host need), and its /var/etcd by a directory of this build.
    Path dir = KvorumCli.freshDir("seed");
    Path data = dir.resolve("node1.etcd");
    String seed =
        Files.readString(Path.of("../ejb-raft/src/test/resources/config/seed-node1.yml"))
            .replace("etcd-node2:2380", "127.0.0.1:22380")
            .replace("etcd-node3:2380", "127.0.0.1:32380")
            .replaceAll("etcd-node[123]", "127.0.0.1")
            .replace("0.0.0.0", "127.0.0.1")
            .replace("/var/etcd", data.toString());
    Path conf = dir.resolve("node1.yml");
    Files.writeString(conf, seed);
    Path log = dir.resolve("node1.log");
    Process p = KvorumCli.start(log, Map.of(), "member", "--config-file", conf.toString());
    try {
      KvorumCli.awaitUp(2379, p, log);
      // node1 alone is one of three voters: no quorum, no leader, so not healthy (as etcd).
      HttpResponse<String> health = KvorumCli.get(2379, "/health");
      assertEquals(503, health.statusCode());
      assertEquals("{\"health\":\"false\"}", health.body());
      HttpResponse<String> version = KvorumCli.get(2379, "/version");
      assertEquals("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}", version.body());
      String out = Files.readString(log);
      assertTrue(out.contains("accepted, not yet supported: logger"), "names unsupported keys");
      assertTrue(out.contains("kvorum member node1"), out);
      assertTrue(
          Files.isDirectory(data.resolve("member")), "the member keeps its files in data-dir");
    } finally {
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "member stops on SIGTERM");
    }
    assertFalse(KvorumCli.listening(2379));
  }

  @Test
  void versionAndHelp() {
    KvorumCli.Result v = KvorumCli.run(Map.of(), "--version");
    assertEquals(0, v.exit(), v.output());
    assertTrue(v.output().contains("etcd API Version: 3.4.23"), v.output());
    KvorumCli.Result h = KvorumCli.run(Map.of(), "--help");
    assertEquals(0, h.exit());
    assertTrue(h.output().contains("kvorum cluster up [--members N]"), h.output());
  }
}
