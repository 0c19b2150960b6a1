package io.kvorum.api.grpc;

import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.MoveLeaderRequest;
import io.kvorum.api.pb.etcdserverpb.MoveLeaderResponse;
import io.kvorum.api.pb.etcdserverpb.StatusRequest;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import io.kvorum.member.Versions;
import io.kvorum.server.KvServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * etcd's dbSize is its bbolt file; Kvorum's is the member's H2 file (Raft log and KV tables), 0
   * when the data source lives elsewhere (PostgreSQL).
   */
  private static long databaseFileBytes() {
    String dir = System.getProperty("kvorum.data-dir");
    if (dir == null) {
      return 0;
    }
    try {
      return Files.size(Path.of(dir, "member", "db", "kvorum.mv.db"));
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
    KvGrpcService.answer(
        () -> CompletableFuture.completedFuture(member.running()),
        (KvServer s) -> {
          KvServer.Status st = s.status();
          long inUse = s.store().dbSize();
          return StatusResponse.newBuilder()
              .setHeader(member.header(s.store().currentRevision()))
              .setVersion(Versions.etcdServer())
              .setDbSize(Math.max(inUse, databaseFileBytes()))
              .setDbSizeInUse(inUse)
              .setLeader(st.leader())
              .setRaftIndex(st.commitIndex())
              .setRaftTerm(st.term())
              .setRaftAppliedIndex(st.appliedIndex())
              .build();
        },
        out);
  }

  /** MoveLeader, on the leader only ("etcdserver: not leader" elsewhere, as etcd). */
  @Override
  public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> out) {
    KvGrpcService.answer(
        () -> member.running().membership().moveLeader(request.getTargetID()),
        done ->
            MoveLeaderResponse.newBuilder()
                .setHeader(member.header(member.running().store().currentRevision()))
                .build(),
        out);
  }
}
