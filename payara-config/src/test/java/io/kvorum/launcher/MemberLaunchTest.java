package io.kvorum.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.config.ConfigException;
import io.kvorum.config.MemberConfig;
import io.kvorum.config.MemberConfigLoader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberLaunchTest {
  @TempDir Path dir;

  private MemberLaunch launch(String... flags) {
    MemberConfig c = new MemberConfigLoader(dir).load(List.of(flags), Map.of());
    return new MemberLaunch(c, 40001);
  }

  private static String after(List<String> args, String option) {
    return args.get(args.indexOf(option) + 1);
  }

  @Test
  void clientUrlIsTheHttpListenerAndPeersAreTheHazelcastMembers() throws Exception {
    MemberLaunch l =
        launch(
            "--name", "infra2",
            "--listen-client-urls", "http://127.0.0.1:22379",
            "--advertise-client-urls", "http://127.0.0.1:22379",
            "--listen-peer-urls", "http://127.0.0.1:22380",
            "--initial-advertise-peer-urls", "http://127.0.0.1:22380",
            "--initial-cluster",
                "infra1=http://127.0.0.1:2380,infra2=http://127.0.0.1:22380,infra3=http://127.0.0.1:32380",
            "--initial-cluster-token", "tok");
    List<String> args = l.payaraArgs();
    assertEquals("infra2", after(args, "--name"));
    assertEquals("40001", after(args, "--port"), "Payara listens behind the client-port front");
    assertTrue(l.jvmArgs().contains("-Dkvorum.internal-http-port=40001"));
    assertEquals("22380", after(args, "--startport"));
    assertEquals("127.0.0.1", after(args, "--interfaces"));
    assertEquals("kvorum-tok", after(args, "--clustername"));
    assertEquals(
        "tcpip:127.0.0.1:2380,127.0.0.1:22380,127.0.0.1:32380", after(args, "--clustermode"));
    assertEquals(dir.resolve("infra2.etcd/member/payara").toString(), after(args, "--rootdir"));
    assertTrue(l.jvmArgs().contains("-Dhazelcast.socket.bind.any=false"));
    assertTrue(l.jvmArgs().contains("-Dhazelcast.shutdownhook.enabled=false"));
    assertTrue(l.jvmArgs().contains("-Dkvorum.data-dir=" + dir.resolve("infra2.etcd")));

    l.writeFiles();
    String preboot = Files.readString(dir.resolve("infra2.etcd/member/preboot.txt"));
    assertTrue(preboot.contains("minimum-delivery-interval-in-millis=1"), preboot);
    assertTrue(preboot.contains("http-listener.address=127.0.0.1"), preboot);
    Properties settings = new Properties();
    try (var in = Files.newInputStream(dir.resolve("infra2.etcd/member/settings.properties"))) {
      settings.load(in);
    }
    assertEquals("infra2", settings.getProperty("name"));
    assertEquals("tok", settings.getProperty("initial-cluster-token"));
  }

  @Test
  void payarasRootDirectoryStartsEmptyEveryTime() throws Exception {
    MemberLaunch l = launch("--name", "m");
    l.writeFiles();
    Path stale = dir.resolve("m.etcd/member/payara/applications/ROOT/old.txt");
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, "a deployment of the last run");
    l.writeFiles();
    assertTrue(Files.isDirectory(dir.resolve("m.etcd/member/payara")));
    assertTrue(Files.notExists(stale.getParent()), "no stale deployment is redeployed");
  }

  @Test
  void wildcardListenersBindEverywhereAndAdvertiseThePeerUrl() {
    MemberLaunch l =
        launch(
            "--name", "node1",
            "--listen-client-urls", "http://0.0.0.0:2379",
            "--advertise-client-urls", "http://etcd-node1:2379",
            "--listen-peer-urls", "http://0.0.0.0:2380",
            "--initial-advertise-peer-urls", "http://etcd-node1:2380",
            "--initial-cluster", "node1=http://etcd-node1:2380,node2=http://etcd-node2:2380");
    List<String> args = l.payaraArgs();
    assertEquals("etcd-node1:2380", after(args, "--hzpublicaddress"));
    assertEquals("tcpip:etcd-node1:2380,etcd-node2:2380", after(args, "--clustermode"));
    assertTrue(l.jvmArgs().contains("-Dhazelcast.socket.bind.any=true"));
  }

  @Test
  void aTakenListenAddressIsRefusedNamingTheKey() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      MemberLaunch l =
          launch(
              "--listen-client-urls", "http://127.0.0.1:" + port,
              "--advertise-client-urls", "http://127.0.0.1:" + port);
      ConfigException e = assertThrows(ConfigException.class, l::checkListenAddressesFree);
      assertEquals("listen-client-urls", e.key());
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }
  }
}
