package io.kvorum.api;

import io.kvorum.api.gateway.GatewayChannel;
import io.kvorum.api.grpc.EtcdServices;
import io.kvorum.config.ConfigKey;
import io.kvorum.config.MemberConfig;
import io.kvorum.config.MemberConfigLoader;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.MemoryKvBackend;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.member.MemberIds;
import io.kvorum.server.KvServer;
import io.kvorum.server.MemoryDurableLog;
import io.kvorum.server.ServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A one-member cluster in this JVM (in-memory log and store, no peers) with the member's real gRPC
 * services, reached through a {@link GatewayChannel}: what a member's gateway calls.
 */
public final class LoneMember implements AutoCloseable {
  public static final long CLUSTER_ID = Long.parseUnsignedLong("16185427656501660224");
  public final long memberId;

  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  public final KvServer server;
  public final GatewayChannel channel;
  private final EtcdServices services;

  public LoneMember(Path workDir) throws InterruptedException {
    MemberConfig config = new MemberConfigLoader(workDir).load(List.of(), Map.of());
    memberId =
        MemberIds.memberId(
            config.initialCluster().peerUrls(config.name()),
            config.string(ConfigKey.INITIAL_CLUSTER_TOKEN));
    server =
        new KvServer(
            ServerOptions.of(memberId, 10, 100, false),
            MemoryDurableLog.bootstrap(memberId),
            MvccStore.open(new MemoryKvBackend(), KvConfig.defaults()),
            new NoPeers(),
            Thread::new,
            executor);
    List<String> peerUrls =
        config.initialCluster().peerUrls(config.name()).stream().map(Object::toString).toList();
    List<String> clientUrls =
        config.urls(ConfigKey.ADVERTISE_CLIENT_URLS).stream().map(Object::toString).toList();
    server
        .membership()
        .open(
            io.kvorum.server.MemberStore.inMemory(),
            new io.kvorum.server.MembershipState(
                CLUSTER_ID,
                memberId,
                0,
                Map.of(
                    memberId,
                    new io.kvorum.server.MemberRecord(
                        memberId, config.name(), peerUrls, clientUrls, false)),
                java.util.Set.of()),
            config.name(),
            clientUrls,
            false);
    server.start();
    ticker.scheduleAtFixedRate(server::tick, 10, 10, TimeUnit.MILLISECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.status().leader() != memberId && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    services =
        new EtcdServices(
            () -> server, CLUSTER_ID, memberId, KvConfig.defaults(), executor, ticker, null);
    channel =
        GatewayChannel.start("lone-member-" + System.nanoTime(), services.definitions(), executor);
  }

  /** This member's response header as the gateway prints it; revision 0 is left out. */
  public String headerJson(long revision) {
    return "{\"cluster_id\":\""
        + Long.toUnsignedString(CLUSTER_ID)
        + "\",\"member_id\":\""
        + Long.toUnsignedString(memberId)
        + "\","
        + (revision == 0 ? "" : "\"revision\":\"" + revision + "\",")
        + "\"raft_term\":\""
        + server.status().term()
        + "\"}";
  }

  @Override
  public void close() {
    channel.close();
    services.close();
    ticker.shutdownNow();
    server.close();
    executor.shutdownNow();
  }
}
