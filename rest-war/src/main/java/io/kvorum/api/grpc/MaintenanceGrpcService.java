package io.kvorum.api.grpc;

import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.StatusRequest;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import io.kvorum.member.Versions;
import io.kvorum.server.KvServer;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Maintenance service, as far as the member runtime has it: Status (what {@code etcdctl
 * endpoint status} shows: version, db size, the leader, Raft term and indexes).
 */
final class MaintenanceGrpcService extends MaintenanceGrpc.MaintenanceImplBase {
  private final MemberView member;

  MaintenanceGrpcService(MemberView member) {
    this.member = member;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
    KvGrpcService.answer(
        () -> CompletableFuture.completedFuture(member.running()),
        (KvServer s) -> {
          KvServer.Status st = s.status();
          long size = s.store().dbSize();
          return StatusResponse.newBuilder()
              .setHeader(member.header(s.store().currentRevision()))
              .setVersion(Versions.etcdServer())
              .setDbSize(size)
              .setDbSizeInUse(size)
              .setLeader(st.leader())
              .setRaftIndex(st.commitIndex())
              .setRaftTerm(st.term())
              .setRaftAppliedIndex(st.appliedIndex())
              .build();
        },
        out);
  }
}
