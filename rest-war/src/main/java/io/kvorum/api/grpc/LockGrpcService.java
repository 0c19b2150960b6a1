package io.kvorum.api.grpc;

import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.v3lockpb.LockGrpc;
import io.kvorum.api.pb.v3lockpb.LockRequest;
import io.kvorum.api.pb.v3lockpb.LockResponse;
import io.kvorum.api.pb.v3lockpb.UnlockRequest;
import io.kvorum.api.pb.v3lockpb.UnlockResponse;
import io.kvorum.kv.core.Compare;
import io.kvorum.kv.core.DeleteRangeRequest;
import io.kvorum.kv.core.DeleteRangeResponse;
import io.kvorum.kv.core.KeyValue;
import io.kvorum.kv.core.KvException;
import io.kvorum.kv.core.PutRequest;
import io.kvorum.kv.core.RangeRequest;
import io.kvorum.kv.core.RangeResponse;
import io.kvorum.kv.core.TxnResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * etcd's v3lock service, the way etcd's v3lock runs concurrency.Mutex inside the server: Lock puts
 * {@code name/<lease in hex>} with the lease (unless that key exists already) and answers once it
 * has the lowest create revision under {@code name/}, having waited for each older key to be
 * deleted (unlocked, or its lease expired or revoked). Unlock deletes the key. The lease is the
 * client's to keep alive; lease 0 gets a new 60 s lease nobody renews, as in etcd.
 */
final class LockGrpcService extends LockGrpc.LockImplBase {
  static final String SESSION_EXPIRED = "mutex: session is expired";

  private final Concurrency concurrency;

  LockGrpcService(Concurrency concurrency) {
    this.concurrency = concurrency;
  }

  @Override
  public void lock(LockRequest request, StreamObserver<LockResponse> out) {
    CompletableFuture<Void> cancelled = Concurrency.cancellation();
    byte[] prefix = Concurrency.prefix(request.getName().toByteArray());
    concurrency
        .session(request.getLease())
        .thenCompose(lease -> acquire(prefix, lease, cancelled))
        .whenComplete(reply(out));
  }

  private CompletableFuture<LockResponse> acquire(
      byte[] prefix, long lease, CompletableFuture<Void> cancelled) {
    byte[] key = Concurrency.sessionKey(prefix, lease);
    RangeRequest owner = Concurrency.firstCreate(prefix);
    return concurrency
        .txn(
            List.of(
                new Compare(
                    Compare.CompareResult.EQUAL, Compare.CompareTarget.CREATE, key, null, 0, null)),
            List.of(new PutRequest(key, null, lease, false, false, false), owner),
            List.of(RangeRequest.of(key, null), owner))
        .thenCompose(
            t -> {
              long myRev = createRevision(t);
              List<KeyValue> first = ((RangeResponse) t.responses().get(1)).kvs();
              if (first.isEmpty() || first.get(0).createRevision() == myRev) {
                return CompletableFuture.completedFuture(response(t.header().revision(), key));
              }
              CompletableFuture<LockResponse> waited =
                  concurrency
                      .waitDeletes(prefix, myRev - 1, cancelled)
                      .thenCompose(rev -> requireKey(key).thenApply(v -> response(rev, key)));
              // etcd's Mutex.Lock gives its key up when the wait fails (the client went away)
              waited.whenComplete(
                  (r, e) -> {
                    if (e != null) {
                      concurrency.propose(new DeleteRangeRequest(key, null, false));
                    }
                  });
              return waited;
            });
  }

  /**
   * Fails when the locker's own key vanished while it waited (its lease expired or was revoked):
   * etcd 3.4.23 answers success then, with a key nobody holds (seen on loopback); etcd 3.5 checks,
   * as here, and fails with concurrency's ErrSessionExpired.
   */
  private CompletableFuture<Void> requireKey(byte[] key) {
    return concurrency
        .range(RangeRequest.of(key, null))
        .thenAccept(
            r -> {
              if (r.kvs().isEmpty()) {
                throw new IllegalStateException(SESSION_EXPIRED);
              }
            });
  }

  /** The create revision of the session's key: just put, or found by the else branch. */
  static long createRevision(TxnResponse t) {
    if (t.succeeded()) {
      return t.header().revision();
    }
    return ((RangeResponse) t.responses().get(0)).kvs().get(0).createRevision();
  }

  private LockResponse response(long revision, byte[] key) {
    return LockResponse.newBuilder()
        .setHeader(concurrency.member().header(revision))
        .setKey(com.google.protobuf.ByteString.copyFrom(key))
        .build();
  }

  /** Deletes the lock's key; a key that is not there is no error, an empty one is. */
  @Override
  public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> out) {
    byte[] key = request.getKey().toByteArray();
    CompletableFuture<UnlockResponse> f =
        key.length == 0
            ? CompletableFuture.failedFuture(KvException.emptyKey())
            : concurrency
                .propose(new DeleteRangeRequest(key, null, false))
                .thenApply(
                    r ->
                        UnlockResponse.newBuilder()
                            .setHeader(
                                concurrency
                                    .member()
                                    .header(((DeleteRangeResponse) r).header().revision()))
                            .build());
    f.whenComplete(reply(out));
  }

  /** Completes a unary call with the value, or with etcd's status for the failure. */
  static <T> BiConsumer<T, Throwable> reply(StreamObserver<T> out) {
    return (value, error) -> {
      if (error != null) {
        out.onError(Concurrency.status(error));
      } else {
        out.onNext(value);
        out.onCompleted();
      }
    };
  }
}
