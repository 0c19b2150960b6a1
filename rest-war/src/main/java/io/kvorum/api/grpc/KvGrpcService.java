package io.kvorum.api.grpc;

import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.CompactionRequest;
import io.kvorum.api.pb.etcdserverpb.CompactionResponse;
import io.kvorum.api.pb.etcdserverpb.DeleteRangeRequest;
import io.kvorum.api.pb.etcdserverpb.DeleteRangeResponse;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.PutRequest;
import io.kvorum.api.pb.etcdserverpb.PutResponse;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import io.kvorum.api.pb.etcdserverpb.RangeResponse;
import io.kvorum.api.pb.etcdserverpb.TxnRequest;
import io.kvorum.api.pb.etcdserverpb.TxnResponse;
import io.kvorum.kv.core.KvRequest;
import io.kvorum.kv.core.KvResponse;
import io.kvorum.kv.core.RequestValidator;
import io.kvorum.server.KvServer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * etcd's KV service: validate as etcd does before proposing, then hand the request to the member's
 * server (writes through Raft, reads by ReadIndex or locally when serializable) and answer with
 * etcd's header. Thin: the rules live in the MVCC core.
 */
final class KvGrpcService extends KVGrpc.KVImplBase {
  private final MemberView member;
  private final RequestValidator validator;

  KvGrpcService(MemberView member, RequestValidator validator) {
    this.member = member;
    this.validator = validator;
  }

  @Override
  public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
    io.kvorum.kv.core.RangeRequest r = ProtoMapping.range(request);
    answer(
        () -> {
          validator.validate(r);
          return member.running().range(r);
        },
        res -> ProtoMapping.range(res, member.header(res.header().revision())),
        out);
  }

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> out) {
    write(
        ProtoMapping.put(request),
        res -> {
          var p = (io.kvorum.kv.core.PutResponse) res;
          return ProtoMapping.put(p, member.header(p.header().revision()));
        },
        out);
  }

  @Override
  public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
    write(
        ProtoMapping.deleteRange(request),
        res -> {
          var d = (io.kvorum.kv.core.DeleteRangeResponse) res;
          return ProtoMapping.deleteRange(d, member.header(d.header().revision()));
        },
        out);
  }

  @Override
  public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
    answer(
        () -> {
          io.kvorum.kv.core.TxnRequest t = TxnMapping.txn(request);
          validator.validate(t);
          return member.running().propose(t);
        },
        res -> {
          var t = (io.kvorum.kv.core.TxnResponse) res;
          return TxnMapping.txn(t, member.header(t.header().revision()));
        },
        out);
  }

  /**
   * Compact; with physical=true the answer waits, as etcd's, until this member has deleted every
   * compacted revision (the deletion runs in chunks, see the core's Compactor): the rest of the
   * deletion runs here, on the caller's thread, rather than a chunk per tick.
   */
  @Override
  public void compact(CompactionRequest request, StreamObserver<CompactionResponse> out) {
    answer(
        () -> {
          KvServer s = member.running();
          var c =
              new io.kvorum.kv.core.CompactionRequest(request.getRevision(), request.getPhysical());
          validator.validate(c);
          CompletableFuture<KvResponse> applied = s.propose(c);
          if (!c.physical()) {
            return applied;
          }
          return applied.thenApply(
              res -> {
                while (s.store().compactStep()) {
                  // each step deletes one chunk in its own short transaction
                }
                return res;
              });
        },
        res ->
            CompactionResponse.newBuilder()
                .setHeader(member.header(res.header().revision()))
                .build(),
        out);
  }

  private <T> void write(KvRequest r, Function<KvResponse, T> map, StreamObserver<T> out) {
    answer(
        () -> {
          validator.validate(r);
          KvServer s = member.running();
          return s.propose(r);
        },
        map,
        out);
  }

  /** Runs the call; completes {@code out} with the mapped result or etcd's status. */
  static <R, T> void answer(
      java.util.function.Supplier<CompletableFuture<R>> call,
      Function<R, T> map,
      StreamObserver<T> out) {
    CompletableFuture<R> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      out.onError(MemberView.toStatus(e));
      return;
    }
    f.whenComplete(
        (res, err) -> {
          if (err != null) {
            out.onError(MemberView.toStatus(err));
            return;
          }
          T mapped;
          try {
            mapped = map.apply(res);
          } catch (RuntimeException e) {
            out.onError(MemberView.toStatus(e));
            return;
          }
          out.onNext(mapped);
          out.onCompleted();
        });
  }
}
