package io.kvorum.api.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.v3electionpb.CampaignRequest;
import io.kvorum.api.pb.v3electionpb.CampaignResponse;
import io.kvorum.api.pb.v3electionpb.ElectionGrpc;
import io.kvorum.api.pb.v3electionpb.LeaderKey;
import io.kvorum.api.pb.v3electionpb.LeaderRequest;
import io.kvorum.api.pb.v3electionpb.LeaderResponse;
import io.kvorum.api.pb.v3electionpb.ProclaimRequest;
import io.kvorum.api.pb.v3electionpb.ProclaimResponse;
import io.kvorum.api.pb.v3electionpb.ResignRequest;
import io.kvorum.api.pb.v3electionpb.ResignResponse;
import io.kvorum.kv.core.Compare;
import io.kvorum.kv.core.DeleteRangeRequest;
import io.kvorum.kv.core.KeyValue;
import io.kvorum.kv.core.PutRequest;
import io.kvorum.kv.core.RangeRequest;
import io.kvorum.kv.core.RangeResponse;
import io.kvorum.kv.core.RequestOp;
import io.kvorum.kv.core.TxnResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's v3election service, the way etcd's v3election runs concurrency.Election inside the server.
 * A candidate's key is {@code name/<lease in hex>} holding its proposal; the leader is the key with
 * the lowest create revision under {@code name/}. Campaign answers once its key is the leader;
 * Proclaim and Resign act only while the key still has the create revision the LeaderKey names;
 * Observe streams every leader value until the client leaves.
 */
final class ElectionGrpcService extends ElectionGrpc.ElectionImplBase {
  private static final String NO_LEADER = "election: no leader";
  private static final String NOT_LEADER = "election: not leader";
  private static final String MISSING_LEADER = "\"leader\" field must be provided";

  private final Concurrency concurrency;

  ElectionGrpcService(Concurrency concurrency) {
    this.concurrency = concurrency;
  }

  @Override
  public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> out) {
    CompletableFuture<Void> cancelled = Concurrency.cancellation();
    byte[] name = request.getName().toByteArray();
    byte[] value = request.getValue().toByteArray();
    concurrency
        .session(request.getLease())
        .thenCompose(lease -> campaign(name, lease, value, cancelled))
        .whenComplete(LockGrpcService.reply(out));
  }

  private CompletableFuture<CampaignResponse> campaign(
      byte[] name, long lease, byte[] value, CompletableFuture<Void> cancelled) {
    byte[] prefix = Concurrency.prefix(name);
    byte[] key = Concurrency.sessionKey(prefix, lease);
    return concurrency
        .txn(
            List.of(createdAt(key, 0)),
            List.of(new PutRequest(key, value, lease, false, false, false)),
            List.of(RangeRequest.of(key, null)))
        .thenCompose(
            t -> {
              long rev = LockGrpcService.createRevision(t);
              LeaderKey leader =
                  LeaderKey.newBuilder()
                      .setName(ByteString.copyFrom(name))
                      .setKey(ByteString.copyFrom(key))
                      .setRev(rev)
                      .setLease(lease)
                      .build();
              CompletableFuture<?> proclaimed = CompletableFuture.completedFuture(null);
              if (!t.succeeded()
                  && !Arrays.equals(
                      ((RangeResponse) t.responses().get(0)).kvs().get(0).value(), value)) {
                // an earlier campaign of this lease with another value: take this one
                proclaimed = proclaim(leader, value);
              }
              CompletableFuture<CampaignResponse> elected =
                  proclaimed
                      .thenCompose(v -> concurrency.waitDeletes(prefix, rev - 1, cancelled))
                      .thenApply(
                          v ->
                              CampaignResponse.newBuilder()
                                  .setHeader(concurrency.member().header(t.header().revision()))
                                  .setLeader(leader)
                                  .build());
              // etcd resigns when the campaign is given up (the client went away)
              elected.whenComplete(
                  (r, e) -> {
                    if (e != null && cancelled.isDone()) {
                      resign(leader);
                    }
                  });
              return elected;
            });
  }

  @Override
  public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> out) {
    if (!request.hasLeader()) {
      out.onError(Concurrency.status(new IllegalArgumentException(MISSING_LEADER)));
      return;
    }
    LeaderKey leader = request.getLeader();
    concurrency
        .session(leader.getLease())
        .thenCompose(
            lease ->
                proclaim(
                    leader.toBuilder().setLease(lease).build(), request.getValue().toByteArray()))
        .thenApply(
            t ->
                ProclaimResponse.newBuilder()
                    .setHeader(concurrency.member().header(t.header().revision()))
                    .build())
        .whenComplete(LockGrpcService.reply(out));
  }

  /** Puts the value while the key still has the leader's create revision; "not leader" else. */
  private CompletableFuture<TxnResponse> proclaim(LeaderKey leader, byte[] value) {
    byte[] key = leader.getKey().toByteArray();
    return concurrency
        .txn(
            List.of(createdAt(key, leader.getRev())),
            List.of(new PutRequest(key, value, leader.getLease(), false, false, false)),
            List.of())
        .thenApply(
            t -> {
              if (!t.succeeded()) {
                throw new IllegalStateException(NOT_LEADER);
              }
              return t;
            });
  }

  /** Deletes the key while it has the leader's create revision; no error if it has not. */
  @Override
  public void resign(ResignRequest request, StreamObserver<ResignResponse> out) {
    if (!request.hasLeader()) {
      out.onError(Concurrency.status(new IllegalArgumentException(MISSING_LEADER)));
      return;
    }
    concurrency
        .session(request.getLeader().getLease())
        .thenCompose(lease -> resign(request.getLeader()))
        .thenApply(
            t ->
                ResignResponse.newBuilder()
                    .setHeader(concurrency.member().header(t.header().revision()))
                    .build())
        .whenComplete(LockGrpcService.reply(out));
  }

  private CompletableFuture<TxnResponse> resign(LeaderKey leader) {
    byte[] key = leader.getKey().toByteArray();
    return concurrency.txn(
        List.of(createdAt(key, leader.getRev())),
        List.<RequestOp>of(new DeleteRangeRequest(key, null, false)),
        List.of());
  }

  @Override
  public void leader(LeaderRequest request, StreamObserver<LeaderResponse> out) {
    concurrency
        .range(Concurrency.firstCreate(Concurrency.prefix(request.getName().toByteArray())))
        .thenApply(
            r -> {
              if (r.kvs().isEmpty()) {
                throw new IllegalStateException(NO_LEADER);
              }
              return leaderResponse(r.header().revision(), r.kvs().get(0));
            })
        .whenComplete(LockGrpcService.reply(out));
  }

  LeaderResponse leaderResponse(long revision, KeyValue kv) {
    return LeaderResponse.newBuilder()
        .setHeader(concurrency.member().header(revision))
        .setKv(ProtoMapping.kv(kv))
        .build();
  }

  @Override
  public void observe(LeaderRequest request, StreamObserver<LeaderResponse> out) {
    var call = (ServerCallStreamObserver<LeaderResponse>) out;
    ElectionObserver o =
        new ElectionObserver(
            concurrency, this, Concurrency.prefix(request.getName().toByteArray()), call);
    call.setOnCancelHandler(o::close);
    o.start();
  }

  private static Compare createdAt(byte[] key, long revision) {
    return new Compare(
        Compare.CompareResult.EQUAL, Compare.CompareTarget.CREATE, key, null, revision, null);
  }
}
