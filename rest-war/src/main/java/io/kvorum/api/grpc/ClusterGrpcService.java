package io.kvorum.api.grpc;

import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.ClusterGrpc;
import io.kvorum.api.pb.etcdserverpb.Member;
import io.kvorum.api.pb.etcdserverpb.MemberListRequest;
import io.kvorum.api.pb.etcdserverpb.MemberListResponse;
import io.kvorum.config.ConfigKey;
import io.kvorum.config.MemberConfig;
import io.kvorum.member.MemberIds;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Cluster service, as far as the member runtime has it: MemberList from the initial cluster
 * (runtime membership changes are not there yet). Client URLs are known for this member only:
 * members do not publish their attributes through the log yet.
 */
final class ClusterGrpcService extends ClusterGrpc.ClusterImplBase {
  private final MemberView member;
  private final MemberConfig config;

  ClusterGrpcService(MemberView member, MemberConfig config) {
    this.member = member;
    this.config = config;
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
    KvGrpcService.answer(
        () -> CompletableFuture.completedFuture(member.running()),
        s -> {
          var b =
              MemberListResponse.newBuilder().setHeader(member.header(s.store().currentRevision()));
          String token = config.string(ConfigKey.INITIAL_CLUSTER_TOKEN);
          for (Map.Entry<String, List<URI>> e : config.initialCluster().members().entrySet()) {
            long id = MemberIds.memberId(e.getValue(), token);
            Member.Builder m = Member.newBuilder().setID(id).setName(e.getKey());
            e.getValue().forEach(u -> m.addPeerURLs(u.toString()));
            if (id == member.memberId()) {
              config
                  .urls(ConfigKey.ADVERTISE_CLIENT_URLS)
                  .forEach(u -> m.addClientURLs(u.toString()));
            }
            b.addMembers(m);
          }
          return b.build();
        },
        out);
  }
}
