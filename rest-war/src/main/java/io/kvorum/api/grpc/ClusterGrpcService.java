package io.kvorum.api.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.ClusterGrpc;
import io.kvorum.api.pb.etcdserverpb.Member;
import io.kvorum.api.pb.etcdserverpb.MemberAddRequest;
import io.kvorum.api.pb.etcdserverpb.MemberAddResponse;
import io.kvorum.api.pb.etcdserverpb.MemberListRequest;
import io.kvorum.api.pb.etcdserverpb.MemberListResponse;
import io.kvorum.api.pb.etcdserverpb.MemberPromoteRequest;
import io.kvorum.api.pb.etcdserverpb.MemberPromoteResponse;
import io.kvorum.api.pb.etcdserverpb.MemberRemoveRequest;
import io.kvorum.api.pb.etcdserverpb.MemberRemoveResponse;
import io.kvorum.api.pb.etcdserverpb.MemberUpdateRequest;
import io.kvorum.api.pb.etcdserverpb.MemberUpdateResponse;
import io.kvorum.server.KvServer;
import io.kvorum.server.MemberRecord;
import io.kvorum.server.MembershipService;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * etcd's Cluster service over the replicated membership: MemberList answered locally (as etcd 3.4
 * does), MemberAdd / Remove / Update / Promote through the Raft log with etcd's response shapes.
 * MemberPromote needs the leader's view of the learner's progress: a follower forwards it to the
 * leader's client URL, as etcd forwards it to the leader's peer URL.
 */
final class ClusterGrpcService extends ClusterGrpc.ClusterImplBase {
  private final MemberView member;

  ClusterGrpcService(MemberView member) {
    this.member = member;
  }

  private static Member toProto(MemberRecord m) {
    return Member.newBuilder()
        .setID(m.id())
        .setName(m.name())
        .addAllPeerURLs(m.peerUrls())
        .addAllClientURLs(m.clientUrls())
        .setIsLearner(m.learner())
        .build();
  }

  private static List<Member> toProto(List<MemberRecord> members) {
    return members.stream().map(ClusterGrpcService::toProto).toList();
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
    KvGrpcService.answer(
        () -> CompletableFuture.completedFuture(member.running()),
        s ->
            MemberListResponse.newBuilder()
                .setHeader(member.header(s.store().currentRevision()))
                .addAllMembers(toProto(s.membership().list()))
                .build(),
        out);
  }

  @Override
  public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
    KvGrpcService.answer(
        () -> member.running().membership().add(request.getPeerURLsList(), request.getIsLearner()),
        r ->
            MemberAddResponse.newBuilder()
                .setHeader(header())
                .setMember(toProto(r.member()))
                .addAllMembers(toProto(r.members()))
                .build(),
        out);
  }

  @Override
  public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
    KvGrpcService.answer(
        () -> member.running().membership().remove(request.getID()),
        r ->
            MemberRemoveResponse.newBuilder()
                .setHeader(header())
                .addAllMembers(toProto(r.members()))
                .build(),
        out);
  }

  @Override
  public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
    KvGrpcService.answer(
        () -> member.running().membership().update(request.getID(), request.getPeerURLsList()),
        r ->
            MemberUpdateResponse.newBuilder()
                .setHeader(header())
                .addAllMembers(toProto(r.members()))
                .build(),
        out);
  }

  @Override
  public void memberPromote(
      MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
    KvServer s = member.server().get();
    if (s != null
        && s.status().leader() != s.status().id()
        && s.status().leader() != 0
        && request.getID() != 0L) {
      forwardPromote(s, request, out);
      return;
    }
    KvGrpcService.answer(
        () -> member.running().membership().promote(request.getID()),
        r ->
            MemberPromoteResponse.newBuilder()
                .setHeader(header())
                .addAllMembers(toProto(r.members()))
                .build(),
        out);
  }

  private void forwardPromote(
      KvServer s, MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
    MembershipService members = s.membership();
    MemberRecord leader = members.state().members().get(s.status().leader());
    if (leader == null || leader.clientUrls().isEmpty()) {
      out.onError(
          Status.UNAVAILABLE.withDescription("etcdserver: leader changed").asRuntimeException());
      return;
    }
    URI url = URI.create(leader.clientUrls().get(0));
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress(url.getHost(), url.getPort()).usePlaintext().build();
    try {
      out.onNext(
          ClusterGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .memberPromote(request));
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    } finally {
      channel.shutdownNow();
    }
  }

  private io.kvorum.api.pb.etcdserverpb.ResponseHeader header() {
    KvServer s = member.running();
    return member.header(s.store().currentRevision());
  }
}
