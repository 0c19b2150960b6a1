package io.kvorum.api.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.WatchGrpc;
import io.kvorum.api.pb.etcdserverpb.WatchRequest;
import io.kvorum.api.pb.etcdserverpb.WatchResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * etcd's Watch service: each call is a {@link ServerWatchStream} carrying many watchers. Every
 * {@code progressNotifyMillis} (etcd's 10 minutes) the watchers created with progress_notify that
 * are caught up get an empty response at the current revision.
 */
final class WatchGrpcService extends WatchGrpc.WatchImplBase implements AutoCloseable {
  /** etcd's default progress notification interval. */
  static final long PROGRESS_NOTIFY_MILLIS = TimeUnit.MINUTES.toMillis(10);

  private final MemberView member;
  private final Executor executor;
  private final Set<ServerWatchStream> open = ConcurrentHashMap.newKeySet();
  private final ScheduledFuture<?> progress;

  /**
   * @param executor where responses are polled and sent
   * @param scheduler runs the progress notifications
   */
  WatchGrpcService(
      MemberView member,
      Executor executor,
      ScheduledExecutorService scheduler,
      long progressNotifyMillis) {
    this.member = member;
    this.executor = executor;
    this.progress =
        scheduler.scheduleAtFixedRate(
            () -> open.forEach(ServerWatchStream::progressNotify),
            progressNotifyMillis,
            progressNotifyMillis,
            TimeUnit.MILLISECONDS);
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
    var call = (ServerCallStreamObserver<WatchResponse>) out;
    try {
      return ServerWatchStream.open(member, call, executor, open);
    } catch (RuntimeException e) {
      out.onError(MemberView.toStatus(e));
      return new StreamObserver<>() {
        @Override
        public void onNext(WatchRequest value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
  }

  /** Stops the progress notifications and closes every open stream's watchers. */
  @Override
  public void close() {
    progress.cancel(false);
    open.forEach(ServerWatchStream::close);
  }
}
