package io.kvorum.api.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvorum.kv.core.Bytes;
import io.kvorum.kv.core.Compare;
import io.kvorum.kv.core.Event;
import io.kvorum.kv.core.KvRequest;
import io.kvorum.kv.core.LeaseGrantRequest;
import io.kvorum.kv.core.LeaseGrantResponse;
import io.kvorum.kv.core.RangeRequest;
import io.kvorum.kv.core.RangeResponse;
import io.kvorum.kv.core.RequestOp;
import io.kvorum.kv.core.RequestValidator;
import io.kvorum.kv.core.TxnRequest;
import io.kvorum.kv.core.TxnResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The recipes of etcd's clientv3/concurrency package, run inside the member for the Lock and
 * Election services as etcd's v3lock and v3election run them over an in-process client: sessions on
 * a lease, keys under a prefix ordered by create revision, and waiting for the predecessor's delete
 * with a watch. Every write goes through Raft ({@link io.kvorum.server.KvServer#propose}), every
 * read is linearizable (ReadIndex), so any member can serve these calls.
 *
 * <p>Nothing here blocks a thread: waits are watches whose events arrive on {@code executor}.
 */
final class Concurrency {
  /** concurrency.NewSession's default TTL, granted when a call names lease 0. */
  static final long DEFAULT_SESSION_TTL = 60;

  private final MemberView member;
  private final RequestValidator validator;
  private final Executor executor;

  Concurrency(MemberView member, RequestValidator validator, Executor executor) {
    this.member = member;
    this.validator = validator;
    this.executor = executor;
  }

  MemberView member() {
    return member;
  }

  Executor executor() {
    return executor;
  }

  /**
   * The session's lease: {@code lease} as given (etcd does not check that it exists until a key is
   * put with it), or a new lease of {@value #DEFAULT_SESSION_TTL} s for 0, as
   * concurrency.NewSession grants. The services orphan their sessions as etcd's do: nobody keeps
   * the new lease alive, so it expires after its TTL.
   */
  CompletableFuture<Long> session(long lease) {
    if (lease != 0) {
      return CompletableFuture.completedFuture(lease);
    }
    return propose(new LeaseGrantRequest(DEFAULT_SESSION_TTL, 0))
        .thenApply(r -> ((LeaseGrantResponse) r).id());
  }

  /** A write through the log, validated first as etcd's KV service validates it. */
  CompletableFuture<io.kvorum.kv.core.KvResponse> propose(KvRequest r) {
    try {
      validator.validate(r);
      return member.running().propose(r);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  CompletableFuture<TxnResponse> txn(
      List<Compare> compare, List<RequestOp> success, List<RequestOp> failure) {
    return propose(new TxnRequest(compare, success, failure)).thenApply(r -> (TxnResponse) r);
  }

  /** A linearizable read. */
  CompletableFuture<RangeResponse> range(RangeRequest r) {
    try {
      validator.validate(r);
      return member.running().range(r);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** clientv3.WithFirstCreate: the key under {@code prefix} created first. */
  static RangeRequest firstCreate(byte[] prefix) {
    return new RangeRequest(
        prefix,
        Bytes.prefixEnd(prefix),
        1,
        0,
        RangeRequest.SortOrder.ASCEND,
        RangeRequest.SortTarget.CREATE,
        false,
        false,
        false,
        0,
        0,
        0,
        0);
  }

  /** clientv3.WithLastCreate plus WithMaxCreateRev: the newest key created at or before a rev. */
  static RangeRequest lastCreate(byte[] prefix, long maxCreateRevision) {
    return new RangeRequest(
        prefix,
        Bytes.prefixEnd(prefix),
        1,
        0,
        RangeRequest.SortOrder.DESCEND,
        RangeRequest.SortTarget.CREATE,
        false,
        false,
        false,
        0,
        0,
        0,
        maxCreateRevision);
  }

  /** {@code name + "/"}: the prefix of a lock's or an election's keys. */
  static byte[] prefix(byte[] name) {
    byte[] p = new byte[name.length + 1];
    System.arraycopy(name, 0, p, 0, name.length);
    p[name.length] = '/';
    return p;
  }

  /** A session's key under a prefix: the lease id in lower-case hex, as etcd's {@code %x}. */
  static byte[] sessionKey(byte[] prefix, long lease) {
    byte[] hex = Long.toHexString(lease).getBytes(StandardCharsets.US_ASCII);
    byte[] k = new byte[prefix.length + hex.length];
    System.arraycopy(prefix, 0, k, 0, prefix.length);
    System.arraycopy(hex, 0, k, prefix.length, hex.length);
    return k;
  }

  /**
   * concurrency's waitDeletes: completes, with the revision of its last read, once no key under
   * {@code prefix} created at or before {@code maxCreateRevision} is left, waiting for each in turn
   * (newest first) to be deleted. Fails with CANCELLED when {@code cancelled} completes first.
   */
  CompletableFuture<Long> waitDeletes(
      byte[] prefix, long maxCreateRevision, CompletableFuture<Void> cancelled) {
    return range(lastCreate(prefix, maxCreateRevision))
        .thenCompose(
            r -> {
              if (r.kvs().isEmpty()) {
                return CompletableFuture.completedFuture(r.header().revision());
              }
              return waitDelete(r.kvs().get(0).key(), r.header().revision() + 1, cancelled)
                  .thenCompose(v -> waitDeletes(prefix, maxCreateRevision, cancelled));
            });
  }

  /**
   * Completes when {@code key} is deleted at or after {@code startRevision}, or when the watch is
   * canceled by a compaction (the caller reads again: the key may be gone).
   */
  CompletableFuture<Void> waitDelete(
      byte[] key, long startRevision, CompletableFuture<Void> cancelled) {
    CompletableFuture<Void> deleted = new CompletableFuture<>();
    KeyWatch w;
    try {
      w =
          KeyWatch.open(
              member.running().store(),
              key,
              null,
              startRevision,
              executor,
              r -> {
                boolean gone =
                    r.canceled()
                        || r.events().stream().anyMatch(e -> e.type() == Event.EventType.DELETE);
                if (gone) {
                  deleted.complete(null);
                }
                return !gone;
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    cancelled.whenComplete(
        (v, e) ->
            deleted.completeExceptionally(
                Status.CANCELLED.withDescription("context canceled").asRuntimeException()));
    deleted.whenComplete((v, e) -> w.close());
    return deleted;
  }

  /**
   * Completes when the client of the current gRPC call goes away (cancel, deadline, disconnect).
   * Call on the thread that runs the service method.
   */
  static CompletableFuture<Void> cancellation() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Context.current().addListener(ctx -> f.complete(null), Runnable::run);
    return f;
  }

  /**
   * The status etcd's v3lock and v3election answer with: they call etcd through an in-process
   * client, whose errors reach gRPC as plain errors, so every failure is UNKNOWN with etcd's
   * message ("etcdserver: requested lease not found", "election: no leader"), except a canceled
   * call.
   */
  static StatusRuntimeException status(Throwable t) {
    StatusRuntimeException s = MemberView.toStatus(t);
    if (s.getStatus().getCode() == Status.Code.CANCELLED) {
      return s;
    }
    return Status.UNKNOWN.withDescription(s.getStatus().getDescription()).asRuntimeException();
  }
}
