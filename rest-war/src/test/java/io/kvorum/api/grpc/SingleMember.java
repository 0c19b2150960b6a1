package io.kvorum.api.grpc;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.KvRequest;
import io.kvorum.kv.core.KvResponse;
import io.kvorum.kv.core.LeaseGrantRequest;
import io.kvorum.kv.core.LeaseGrantResponse;
import io.kvorum.kv.core.MemoryKvBackend;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.RequestValidator;
import io.kvorum.raft.transport.Transport;
import io.kvorum.raft.transport.TransportStats;
import io.kvorum.server.KvServer;
import io.kvorum.server.MemoryDurableLog;
import io.kvorum.server.ServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-member Kvorum in the test JVM: a real {@link KvServer} (Raft, MVCC store, leases,
 * watches) on an in-memory log and backend, ticking every 10 ms, served over real gRPC on a
 * loopback port (so the real etcdctl can be pointed at it) with the services under test. The lease
 * clock is the test's: {@link #advanceClock} expires leases without waiting.
 */
final class SingleMember implements AutoCloseable {
  static final long MEMBER_ID = 0x8e9e05c52164694dL;
  static final long CLUSTER_ID = 0xcdf818194e3a8c32L;
  private static final long TICK_MS = 10;

  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  final KvServer server;
  final MemberView view;
  final Concurrency concurrency;
  final ManagedChannel channel;
  private final Server grpc;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService responses = Executors.newFixedThreadPool(4);
  private final ExecutorService callbacks = Executors.newFixedThreadPool(4);

  SingleMember(DatabaseFile databaseFile) throws IOException {
    ServerOptions o =
        new ServerOptions(MEMBER_ID, 10, 1, TICK_MS, true, 7, 3_000, 300_000, clock::get);
    server =
        new KvServer(
            o,
            MemoryDurableLog.bootstrap(MEMBER_ID),
            MvccStore.open(new MemoryKvBackend(), KvConfig.defaults()),
            new NoPeers(),
            Thread::new,
            responses);
    server.start();
    ticker.scheduleAtFixedRate(server::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    view = new MemberView(() -> server, CLUSTER_ID, MEMBER_ID);
    RequestValidator validator = new RequestValidator(KvConfig.defaults());
    concurrency = new Concurrency(view, validator, callbacks);
    List<BindableService> services = new ArrayList<>();
    services.add(new KvGrpcService(view, validator));
    services.add(new MaintenanceGrpcService(view, databaseFile));
    services.add(new LockGrpcService(concurrency));
    services.add(new ElectionGrpcService(concurrency));
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .executor(callbacks);
    services.forEach(b::addService);
    grpc = b.build().start();
    channel =
        NettyChannelBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), grpc.getPort()))
            .usePlaintext()
            .build();
    awaitLeader();
  }

  /** host:port of the gRPC server, for etcdctl's --endpoints. */
  String endpoint() {
    return "127.0.0.1:" + grpc.getPort();
  }

  KvResponse propose(KvRequest r) throws Exception {
    return server.propose(r).get(5, TimeUnit.SECONDS);
  }

  long grantLease(long ttlSeconds) throws Exception {
    return ((LeaseGrantResponse) propose(new LeaseGrantRequest(ttlSeconds, 0))).id();
  }

  /** Moves the lease clock; the leader then revokes what expired, through the log. */
  void advanceClock(long millis) {
    clock.addAndGet(millis);
  }

  private void awaitLeader() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.status().leader() != MEMBER_ID) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the single member did not become leader");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    ticker.shutdownNow();
    server.close();
    responses.shutdownNow();
    callbacks.shutdownNow();
  }

  /** A member alone needs no transport. */
  private static final class NoPeers implements Transport {
    @Override
    public void start(Inbox inbox) {}

    @Override
    public void addPeer(long member) {}

    @Override
    public void removePeer(long member) {}

    @Override
    public boolean send(long to, byte[] message) {
      return true;
    }

    @Override
    public TransportStats stats() {
      return new TransportStats(0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {}
  }
}
