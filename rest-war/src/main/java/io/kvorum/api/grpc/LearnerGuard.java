package io.kvorum.api.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import java.util.function.BooleanSupplier;

/**
 * A learner serves only what etcd 3.4's learners serve: Maintenance.Status and serializable Range.
 * Every other call, streams included, is refused with etcd's UNAVAILABLE "etcdserver: rpc not
 * supported for learner" (its gRPC interceptors do the same).
 */
final class LearnerGuard implements ServerInterceptor {
  static final String NOT_SUPPORTED = "etcdserver: rpc not supported for learner";

  private final BooleanSupplier learner;

  LearnerGuard(BooleanSupplier learner) {
    this.learner = learner;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (!learner.getAsBoolean()
        || method.equals(MaintenanceGrpc.getStatusMethod().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    if (!method.equals(io.kvorum.api.pb.etcdserverpb.KVGrpc.getRangeMethod().getFullMethodName())) {
      call.close(Status.UNAVAILABLE.withDescription(NOT_SUPPORTED), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (message instanceof RangeRequest r && !r.getSerializable()) {
          refused = true;
          call.close(Status.UNAVAILABLE.withDescription(NOT_SUPPORTED), new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }
}
