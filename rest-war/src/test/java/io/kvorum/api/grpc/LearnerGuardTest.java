package io.kvorum.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.PutRequest;
import io.kvorum.api.pb.etcdserverpb.PutResponse;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import io.kvorum.api.pb.etcdserverpb.RangeResponse;
import io.kvorum.api.pb.etcdserverpb.StatusRequest;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LearnerGuardTest {
  private final AtomicBoolean learner = new AtomicBoolean(true);
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = "learner-guard-" + System.nanoTime();
    LearnerGuard guard = new LearnerGuard(learner::get);
    KVGrpc.KVImplBase kv =
        new KVGrpc.KVImplBase() {
          @Override
          public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
            out.onNext(RangeResponse.newBuilder().setCount(7).build());
            out.onCompleted();
          }

          @Override
          public void put(PutRequest request, StreamObserver<PutResponse> out) {
            out.onNext(PutResponse.getDefaultInstance());
            out.onCompleted();
          }
        };
    MaintenanceGrpc.MaintenanceImplBase maintenance =
        new MaintenanceGrpc.MaintenanceImplBase() {
          @Override
          public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
            out.onNext(StatusResponse.newBuilder().setIsLearner(true).build());
            out.onCompleted();
          }
        };
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(ServerInterceptors.intercept(kv, guard))
            .addService(ServerInterceptors.intercept(maintenance, guard))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static void assertRefused(Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertEquals("etcdserver: rpc not supported for learner", e.getStatus().getDescription());
  }

  @Test
  void aLearnerServesSerializableRangeAndStatusOnly() {
    var kv = KVGrpc.newBlockingStub(channel);
    assertEquals(7, kv.range(RangeRequest.newBuilder().setSerializable(true).build()).getCount());
    assertRefused(() -> kv.range(RangeRequest.getDefaultInstance()));
    assertRefused(() -> kv.put(PutRequest.getDefaultInstance()));
    var status =
        MaintenanceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());
    assertEquals(true, status.getIsLearner());
  }

  @Test
  void aVoterServesEverything() {
    learner.set(false);
    var kv = KVGrpc.newBlockingStub(channel);
    assertEquals(7, kv.range(RangeRequest.getDefaultInstance()).getCount());
    kv.put(PutRequest.getDefaultInstance());
  }
}
