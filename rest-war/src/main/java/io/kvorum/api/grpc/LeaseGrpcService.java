package io.kvorum.api.grpc;

import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.LeaseGrantRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseGrantResponse;
import io.kvorum.api.pb.etcdserverpb.LeaseGrpc;
import io.kvorum.api.pb.etcdserverpb.LeaseKeepAliveRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseKeepAliveResponse;
import io.kvorum.api.pb.etcdserverpb.LeaseLeasesRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseLeasesResponse;
import io.kvorum.api.pb.etcdserverpb.LeaseRevokeRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseRevokeResponse;
import io.kvorum.api.pb.etcdserverpb.LeaseStatus;
import io.kvorum.api.pb.etcdserverpb.LeaseTimeToLiveRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseTimeToLiveResponse;
import io.kvorum.kv.core.KvRequest;
import io.kvorum.kv.core.RequestValidator;
import io.kvorum.server.KvServer;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Lease service. Grant and revoke go through the log; keep-alives renew the lease on the
 * leader (locally there, through the log from a follower: see {@link KvServer#leaseRenew});
 * TimeToLive and Leases answer from this member's lessor.
 */
final class LeaseGrpcService extends LeaseGrpc.LeaseImplBase {
  private final MemberView member;
  private final RequestValidator validator;

  LeaseGrpcService(MemberView member, RequestValidator validator) {
    this.member = member;
    this.validator = validator;
  }

  @Override
  public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> out) {
    write(
        new io.kvorum.kv.core.LeaseGrantRequest(request.getTTL(), request.getID()),
        r -> {
          var g = (io.kvorum.kv.core.LeaseGrantResponse) r;
          return LeaseGrantResponse.newBuilder()
              .setHeader(member.header(g.header().revision()))
              .setID(g.id())
              .setTTL(g.ttl())
              .setError(g.error())
              .build();
        },
        out);
  }

  @Override
  public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> out) {
    write(
        new io.kvorum.kv.core.LeaseRevokeRequest(request.getID()),
        r ->
            LeaseRevokeResponse.newBuilder()
                .setHeader(member.header(r.header().revision()))
                .build(),
        out);
  }

  private <T> void write(
      KvRequest r,
      java.util.function.Function<io.kvorum.kv.core.KvResponse, T> map,
      StreamObserver<T> out) {
    KvGrpcService.answer(
        () -> {
          validator.validate(r);
          return member.running().propose(r);
        },
        map,
        out);
  }

  /**
   * TimeToLive from this member's lessor: the leader's timer on the leader; elsewhere the last
   * checkpointed remaining TTL (etcd forwards the request to the leader instead). An unknown lease
   * answers TTL -1, as etcd.
   */
  @Override
  public void leaseTimeToLive(
      LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> out) {
    KvGrpcService.answer(
        () ->
            CompletableFuture.completedFuture(
                member.running().leaseTimeToLive(request.getID(), request.getKeys())),
        t -> {
          var b =
              LeaseTimeToLiveResponse.newBuilder()
                  .setHeader(member.header(t.header().revision()))
                  .setID(t.id())
                  .setTTL(t.ttl())
                  .setGrantedTTL(t.grantedTtl());
          t.keys().forEach(k -> b.addKeys(com.google.protobuf.ByteString.copyFrom(k)));
          return b.build();
        },
        out);
  }

  @Override
  public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> out) {
    KvGrpcService.answer(
        () -> CompletableFuture.completedFuture(member.running()),
        s -> {
          var b = LeaseLeasesResponse.newBuilder();
          s.store()
              .lessor()
              .leases()
              .forEach(id -> b.addLeases(LeaseStatus.newBuilder().setID(id)));
          return b.setHeader(member.header(s.store().currentRevision())).build();
        },
        out);
  }

  /**
   * One response per request, in request order, as etcd's: the lease's TTL, or TTL 0 for an unknown
   * lease. Any other failure (no leader, timeout) ends the stream with etcd's status.
   */
  @Override
  public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(
      StreamObserver<LeaseKeepAliveResponse> out) {
    return new LeaseKeepAliveStream(member, out);
  }
}
