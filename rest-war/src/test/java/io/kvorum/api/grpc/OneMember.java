package io.kvorum.api.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kvorum.api.front.ClientPortFront;
import io.kvorum.api.front.ClientPortOptions;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.LeaseGrpc;
import io.kvorum.api.pb.etcdserverpb.ResponseHeader;
import io.kvorum.api.pb.etcdserverpb.WatchGrpc;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.KvRequest;
import io.kvorum.kv.core.KvResponse;
import io.kvorum.kv.core.LeaseGrantRequest;
import io.kvorum.kv.core.LeaseGrantResponse;
import io.kvorum.kv.core.MemoryKvBackend;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.RequestValidator;
import io.kvorum.raft.core.Role;
import io.kvorum.server.KvServer;
import io.kvorum.server.MemoryDurableLog;
import io.kvorum.server.ServerOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-member Kvorum server in this JVM (in-memory Raft log and MVCC backend), its etcd gRPC
 * services behind the real client-port front, and a gRPC client channel to it. The lease clock is
 * the test's ({@link #clock}); Raft ticks every 10 ms on a real thread.
 */
final class OneMember implements AutoCloseable {
  static final long CLUSTER_ID = 0x1c2d3e4f5a6b7c8dL;
  static final long MEMBER_ID = 0x8e9e05c52164694dL;
  static final long PROGRESS_NOTIFY_MILLIS = 300;

  final AtomicLong clock = new AtomicLong(1_000_000);

  /** Watch responses the server handed to gRPC, counted as they are sent. */
  final AtomicLong watchResponsesSent = new AtomicLong();

  final KvServer server;
  final ManagedChannel channel;
  final String endpoint;
  private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
  private final ExecutorService responses = Executors.newFixedThreadPool(4);
  private final WatchGrpcService watch;
  private final ClientPortFront front;

  OneMember() throws InterruptedException {
    this(new DatabaseFile(null, null, null));
  }

  /** With Maintenance reporting and defragmenting {@code databaseFile}. */
  OneMember(DatabaseFile databaseFile) throws InterruptedException {
    ServerOptions o = new ServerOptions(MEMBER_ID, 10, 1, 10, true, 7, 3_000, 300_000, clock::get);
    server =
        new KvServer(
            o,
            MemoryDurableLog.bootstrap(MEMBER_ID),
            MvccStore.open(new MemoryKvBackend(), KvConfig.defaults()),
            new io.kvorum.api.NoPeers(),
            Thread::new,
            responses);
    server.start();
    ticker.scheduleAtFixedRate(server::tick, 10, 10, TimeUnit.MILLISECONDS);
    MemberView view = new MemberView(() -> server, CLUSTER_ID, MEMBER_ID);
    RequestValidator validator = new RequestValidator(KvConfig.defaults());
    Concurrency concurrency = new Concurrency(view, validator, responses);
    watch = new WatchGrpcService(view, responses, ticker, PROGRESS_NOTIFY_MILLIS);
    front =
        ClientPortFront.start(
            ClientPortOptions.of(
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)),
            List.of(
                new KvGrpcService(view, validator).bindService(),
                new LeaseGrpcService(view, validator).bindService(),
                ServerInterceptors.intercept(watch.bindService(), new CountSent()),
                new MaintenanceGrpcService(view, databaseFile).bindService(),
                new LockGrpcService(concurrency).bindService(),
                new ElectionGrpcService(concurrency).bindService()),
            responses);
    endpoint = "127.0.0.1:" + front.boundAddresses().get(0).getPort();
    channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
    for (int i = 0; i < 500 && server.status().role() != Role.LEADER; i++) {
      Thread.sleep(10);
    }
  }

  KVGrpc.KVBlockingStub kv() {
    return KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  LeaseGrpc.LeaseBlockingStub lease() {
    return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  LeaseGrpc.LeaseStub leaseAsync() {
    return LeaseGrpc.newStub(channel);
  }

  WatchGrpc.WatchStub watch() {
    return WatchGrpc.newStub(channel);
  }

  /** A write through Raft, straight to the server. */
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

  /** etcd's header as this member fills it: ids, the revision, the Raft term. */
  ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(CLUSTER_ID)
        .setMemberId(MEMBER_ID)
        .setRevision(revision)
        .setRaftTerm(server.status().term())
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    front.close();
    watch.close();
    ticker.shutdownNow();
    server.close();
    responses.shutdownNow();
  }

  private final class CountSent implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return next.startCall(
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
              watchResponsesSent.incrementAndGet();
              super.sendMessage(message);
            }
          },
          headers);
    }
  }
}
