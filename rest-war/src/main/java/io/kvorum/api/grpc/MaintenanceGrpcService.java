package io.kvorum.api.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.AlarmRequest;
import io.kvorum.api.pb.etcdserverpb.AlarmResponse;
import io.kvorum.api.pb.etcdserverpb.DefragmentRequest;
import io.kvorum.api.pb.etcdserverpb.DefragmentResponse;
import io.kvorum.api.pb.etcdserverpb.HashKVRequest;
import io.kvorum.api.pb.etcdserverpb.HashKVResponse;
import io.kvorum.api.pb.etcdserverpb.HashRequest;
import io.kvorum.api.pb.etcdserverpb.HashResponse;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.MoveLeaderRequest;
import io.kvorum.api.pb.etcdserverpb.MoveLeaderResponse;
import io.kvorum.api.pb.etcdserverpb.SnapshotRequest;
import io.kvorum.api.pb.etcdserverpb.SnapshotResponse;
import io.kvorum.api.pb.etcdserverpb.StatusRequest;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import io.kvorum.kv.core.HashKvResponse;
import io.kvorum.member.Versions;
import io.kvorum.server.KvServer;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Maintenance service: Status (what {@code etcdctl endpoint status} shows), Hash and HashKV
 * (this member's store, no Raft round, as etcd), Alarm (through the log), Defragment (the member's
 * H2 file, see {@link DatabaseFile}) and Snapshot (the MVCC snapshot, see {@link SnapshotSender}).
 */
final class MaintenanceGrpcService extends MaintenanceGrpc.MaintenanceImplBase {
  private final MemberView member;
  private final DatabaseFile databaseFile;

  MaintenanceGrpcService(MemberView member, DatabaseFile databaseFile) {
    this.member = member;
    this.databaseFile = databaseFile;
  }

  /**
   * etcd's dbSize is its bbolt file; Kvorum's is the member's H2 file (Raft log and KV tables), the
   * in-use size when the data source lives elsewhere (PostgreSQL). errors: "etcdserver: no leader"
   * without a leader, then each alarm as etcd prints it. isLearner: this member's role in the
   * membership.
   */
  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
    KvGrpcService.answer(
        () -> CompletableFuture.completedFuture(member.running()),
        (KvServer s) -> {
          KvServer.Status st = s.status();
          long inUse = s.store().dbSize();
          StatusResponse.Builder b =
              StatusResponse.newBuilder()
                  .setHeader(member.header(s.store().currentRevision()))
                  .setVersion(Versions.etcdServer())
                  .setDbSize(Math.max(inUse, databaseFile.size()))
                  .setDbSizeInUse(inUse)
                  .setLeader(st.leader())
                  .setRaftIndex(st.commitIndex())
                  .setRaftTerm(st.term())
                  .setRaftAppliedIndex(st.appliedIndex())
                  .setIsLearner(member.isLearner());
          if (st.leader() == 0) {
            b.addErrors("etcdserver: no leader");
          }
          s.store().alarms().forEach(a -> b.addErrors(AlarmMapping.text(a)));
          return b.build();
        },
        out);
  }

  @Override
  public void hash(HashRequest request, StreamObserver<HashResponse> out) {
    KvGrpcService.answer(
        () -> CompletableFuture.completedFuture(member.running()),
        (KvServer s) -> {
          // the hash and the revision in one critical section, as etcd's Hash reads both at once
          synchronized (s.store()) {
            long h = s.store().hash();
            return HashResponse.newBuilder()
                .setHeader(member.header(s.store().currentRevision()))
                .setHash((int) h)
                .build();
          }
        },
        out);
  }

  /** Revision 0 is the current one; a compacted or future revision fails with OutOfRange. */
  @Override
  public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> out) {
    KvGrpcService.answer(
        () -> CompletableFuture.completedFuture(member.running()),
        (KvServer s) -> {
          HashKvResponse h = s.store().hashKv(request.getRevision());
          return HashKVResponse.newBuilder()
              .setHeader(member.header(h.header().revision()))
              .setHash((int) h.hash())
              .setCompactRevision(h.compactRevision())
              .build();
        },
        out);
  }

  /**
   * GET, ACTIVATE and DEACTIVATE all go through the log, as in etcd 3.4, so every member answers
   * from the same alarm list. GET filters by alarm type only (NONE: all); member_id is ignored.
   */
  @Override
  public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> out) {
    io.kvorum.kv.core.AlarmRequest r = AlarmMapping.request(request);
    if (r == null) {
      KvGrpcService.answer(
          () -> CompletableFuture.completedFuture(member.running()),
          s -> AlarmResponse.getDefaultInstance(),
          out);
      return;
    }
    KvGrpcService.answer(
        () -> member.running().propose(r),
        res -> AlarmMapping.response((io.kvorum.kv.core.AlarmResponse) res),
        out);
  }

  /**
   * Compacts this member's H2 file online and answers once done; etcd 3.4 answers an empty response
   * (no header).
   */
  @Override
  public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> out) {
    try {
      member.running();
      databaseFile.defragment();
    } catch (SQLException e) {
      out.onError(Status.UNKNOWN.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      out.onError(MemberView.toStatus(e));
      return;
    }
    out.onNext(DefragmentResponse.getDefaultInstance());
    out.onCompleted();
  }

  /** This member's MVCC snapshot, streamed with flow control; etcd sets no header either. */
  @Override
  public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> out) {
    KvServer s;
    try {
      s = member.running();
    } catch (RuntimeException e) {
      out.onError(MemberView.toStatus(e));
      return;
    }
    SnapshotSender.start(s.store(), out);
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
