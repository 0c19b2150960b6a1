package io.kvorum.api.front;

import com.google.protobuf.ByteString;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import io.kvorum.api.pb.etcdserverpb.RangeResponse;
import io.kvorum.api.pb.etcdserverpb.ResponseHeader;
import io.kvorum.api.pb.etcdserverpb.StatusRequest;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import io.kvorum.api.pb.mvccpb.KeyValue;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-test gRPC services with fixed answers, standing in for a member behind the front.
 *
 * <p>Maintenance.Status answers with the constants below. KV.Range answers "health" (what etcdctl's
 * endpoint health reads) with an empty result, "big&lt;n&gt;" with n keys of 1 KiB values (to push
 * responses past HTTP/2's 64 KiB initial window), "compacted" with etcd's OutOfRange error, and
 * echoes any other key with value "v".
 */
final class FakeMember {

  static final long CLUSTER_ID = 0x1c2d3e4f5a6b7c8dL;
  static final long MEMBER_ID = 0x8e9e05c52164694dL;
  static final long REVISION = 17;
  static final long RAFT_TERM = 4;
  static final long RAFT_INDEX = 42;
  static final long RAFT_APPLIED_INDEX = 41;
  static final long DB_SIZE = 24_576;
  static final long DB_SIZE_IN_USE = 16_384;
  static final String VERSION = "3.4.23";

  final AtomicInteger statusCalls = new AtomicInteger();
  final AtomicInteger rangeCalls = new AtomicInteger();

  static ResponseHeader header() {
    return ResponseHeader.newBuilder()
        .setClusterId(CLUSTER_ID)
        .setMemberId(MEMBER_ID)
        .setRevision(REVISION)
        .setRaftTerm(RAFT_TERM)
        .build();
  }

  List<ServerServiceDefinition> services() {
    return List.of(maintenance().bindService(), kv().bindService());
  }

  private MaintenanceGrpc.MaintenanceImplBase maintenance() {
    return new MaintenanceGrpc.MaintenanceImplBase() {
      @Override
      public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
        statusCalls.incrementAndGet();
        response.onNext(
            StatusResponse.newBuilder()
                .setHeader(header())
                .setVersion(VERSION)
                .setDbSize(DB_SIZE)
                .setDbSizeInUse(DB_SIZE_IN_USE)
                .setLeader(MEMBER_ID)
                .setRaftIndex(RAFT_INDEX)
                .setRaftTerm(RAFT_TERM)
                .setRaftAppliedIndex(RAFT_APPLIED_INDEX)
                .build());
        response.onCompleted();
      }
    };
  }

  private KVGrpc.KVImplBase kv() {
    return new KVGrpc.KVImplBase() {
      @Override
      public void range(RangeRequest request, StreamObserver<RangeResponse> response) {
        rangeCalls.incrementAndGet();
        String key = request.getKey().toStringUtf8();
        if (key.equals("compacted")) {
          response.onError(
              Status.OUT_OF_RANGE
                  .withDescription("etcdserver: mvcc: required revision has been compacted")
                  .asRuntimeException());
          return;
        }
        RangeResponse.Builder out = RangeResponse.newBuilder().setHeader(header());
        if (key.startsWith("big")) {
          int n = Integer.parseInt(key.substring(3));
          for (int i = 0; i < n; i++) {
            out.addKvs(kv("big/" + i, ByteString.copyFrom(new byte[1024])));
          }
          out.setCount(n);
        } else if (!key.equals("health")) {
          out.addKvs(kv(key, ByteString.copyFromUtf8("v"))).setCount(1);
        }
        response.onNext(out.build());
        response.onCompleted();
      }
    };
  }

  private static KeyValue kv(String key, ByteString value) {
    return KeyValue.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setValue(value)
        .setCreateRevision(2)
        .setModRevision(REVISION)
        .setVersion(1)
        .build();
  }
}
