package io.kvorum.api.grpc;

import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.LeaseKeepAliveRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseKeepAliveResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One LeaseKeepAlive call: requests are renewed one after the other (etcd's loop receives, renews,
 * sends), so responses keep the order of requests and a client cannot pile up renewals. A failure
 * other than an unknown lease ends the call with etcd's status, as etcd's loop returns the error.
 *
 * <p>Threading: gRPC delivers requests serially; renewals complete on the server's response
 * threads, chained so that at most one touches {@code out} at a time.
 */
final class LeaseKeepAliveStream implements StreamObserver<LeaseKeepAliveRequest> {
  private final MemberView member;
  private final StreamObserver<LeaseKeepAliveResponse> out;
  private CompletableFuture<Boolean> tail = CompletableFuture.completedFuture(true);

  LeaseKeepAliveStream(MemberView member, StreamObserver<LeaseKeepAliveResponse> out) {
    this.member = member;
    this.out = out;
  }

  @Override
  public synchronized void onNext(LeaseKeepAliveRequest request) {
    tail =
        tail.thenCompose(
            alive -> alive ? renew(request.getID()) : CompletableFuture.completedFuture(false));
  }

  /** Completes with true once the response is sent, false once the call was failed. */
  private CompletableFuture<Boolean> renew(long id) {
    CompletableFuture<Long> ttl;
    try {
      ttl = member.running().leaseRenew(id);
    } catch (RuntimeException e) {
      ttl = CompletableFuture.failedFuture(e);
    }
    return ttl.handle(
        (t, err) -> {
          try {
            if (err != null) {
              out.onError(MemberView.toStatus(err));
              return false;
            }
            long revision = member.running().store().currentRevision();
            out.onNext(
                LeaseKeepAliveResponse.newBuilder()
                    .setHeader(member.header(revision))
                    .setID(id)
                    .setTTL(t)
                    .build());
            return true;
          } catch (RuntimeException e) { // the call was cancelled, or the member stopped
            return false;
          }
        });
  }

  @Override
  public void onError(Throwable t) {
    // the client went away: nothing to renew, nothing to answer
  }

  @Override
  public synchronized void onCompleted() {
    tail.thenAccept(
        alive -> {
          if (alive) {
            out.onCompleted();
          }
        });
  }
}
