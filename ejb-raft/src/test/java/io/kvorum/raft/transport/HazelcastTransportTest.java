package io.kvorum.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two real (embedded) Hazelcast members on loopback, as two Kvorum members use them. */
class HazelcastTransportTest {
  private static final long CLUSTER = 0x1234L;
  private static HazelcastInstance hzA;
  private static HazelcastInstance hzB;

  @BeforeAll
  static void startHazelcast() throws IOException {
    int pa = freePort();
    int pb = freePort();
    String name = "kvorum-transport-test-" + System.nanoTime();
    hzA = Hazelcast.newHazelcastInstance(config(name, pa, pa, pb));
    hzB = Hazelcast.newHazelcastInstance(config(name, pb, pa, pb));
  }

  @AfterAll
  static void stopHazelcast() {
    hzB.shutdown();
    hzA.shutdown();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Config config(String name, int port, int... members) {
    Config c = new Config().setClusterName(name);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.logging.type", "none");
    c.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = c.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int m : members) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + m);
    }
    return c;
  }

  private static HazelcastTransport transport(HazelcastInstance hz, long self, int capacity) {
    return new HazelcastTransport(hz, CLUSTER, self, Thread::new, capacity, 64 * 1024);
  }

  @Test
  void messagesArriveInOrderBatchedIntoFrames() throws Exception {
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    try (HazelcastTransport a = transport(hzA, 1, 10_000);
        HazelcastTransport b = transport(hzB, 2, 10_000)) {
      b.start((from, m) -> got.add(from + ":" + new String(m)));
      a.start((from, m) -> {});
      a.addPeer(2);
      int n = 2_000;
      for (int i = 0; i < n; i++) {
        assertTrue(a.send(2, ("m" + i).getBytes()));
      }
      for (int i = 0; i < n; i++) {
        assertEquals("1:m" + i, got.poll(30, TimeUnit.SECONDS));
      }
      TransportStats sa = a.stats();
      assertEquals(n, sa.messagesSent());
      assertTrue(sa.framesSent() <= n, "frames carry batches: " + sa);
      assertEquals(n, b.stats().messagesReceived());
      assertEquals(sa.framesSent(), b.stats().framesReceived());
    }
  }

  @Test
  void framesOfAnotherClusterAreDroppedCountedAndLogged() throws Exception {
    CountDownLatch delivered = new CountDownLatch(1);
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            warnings.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger log =
        java.util.logging.Logger.getLogger(HazelcastTransport.class.getName());
    log.addHandler(capture);
    try (HazelcastTransport b = transport(hzB, 3, 100)) {
      b.start((from, m) -> delivered.countDown());
      hzA.<byte[]>getTopic(HazelcastTransport.inboxTopic(3))
          .publish(new PeerFrame(0x9999L, 1, 3, List.of(new byte[] {1})).encode());
      hzA.<byte[]>getTopic(HazelcastTransport.inboxTopic(3)).publish(new byte[] {1, 2, 3});
      hzA.<byte[]>getTopic(HazelcastTransport.inboxTopic(3))
          .publish(new PeerFrame(CLUSTER, 1, 3, List.of(new byte[] {7})).encode());
      assertTrue(delivered.await(30, TimeUnit.SECONDS), "our own cluster's frame arrives");
      // Topic order from one publisher holds, so the two bad frames were handled first.
      assertEquals(1, b.stats().droppedForeignCluster());
      assertEquals(1, b.stats().droppedMalformed());
      assertEquals(1, b.stats().messagesReceived());
      assertTrue(
          warnings.stream()
              .anyMatch(
                  w ->
                      w.startsWith("request cluster ID mismatch")
                          && w.contains("remote-peer-cluster-id 9999")),
          warnings.toString());
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void aFullQueueDropsInsteadOfBlocking() throws Exception {
    // The sender thread is held back, so the queue fills exactly as under a stalled peer.
    CountDownLatch release = new CountDownLatch(1);
    ThreadFactory held =
        r ->
            new Thread(
                () -> {
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  r.run();
                });
    try (HazelcastTransport a = new HazelcastTransport(hzA, CLUSTER, 4, held, 8, 64 * 1024)) {
      a.start((from, m) -> {});
      assertFalse(a.send(5, new byte[] {1}), "unknown peer");
      a.addPeer(5);
      int accepted = 0;
      for (int i = 0; i < 10_000; i++) {
        if (a.send(5, new byte[1024])) {
          accepted++;
        }
      }
      assertEquals(8, accepted);
      assertEquals(10_000 - 8, a.stats().droppedQueueFull());
      release.countDown();
      a.removePeer(5);
      assertFalse(a.send(5, new byte[] {1}));
    }
  }
}
