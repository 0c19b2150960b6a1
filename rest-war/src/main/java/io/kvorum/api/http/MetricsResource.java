package io.kvorum.api.http;

import io.kvorum.api.grpc.GrpcServicesBean;
import io.kvorum.api.metrics.MemberMetrics;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.StatusRequest;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.server.KvServer;
import io.kvorum.server.RaftNodeBean;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.TimeUnit;

/**
 * etcd's {@code GET /metrics} in Prometheus' text format ({@link MemberMetrics}). Payara's own
 * MicroProfile Metrics endpoint is moved off {@code /metrics} by the preboot commands, so this one
 * answers.
 */
@Path("metrics")
public class MetricsResource {
  @EJB RaftNodeBean raft;
  @EJB GrpcServicesBean services;

  @GET
  public Response metrics() {
    KvServer s = raft.server();
    if (s == null) {
      return Response.status(503)
          .type("text/plain; charset=utf-8")
          .entity("server stopped\n")
          .build();
    }
    StatusResponse status =
        MaintenanceGrpc.newBlockingStub(services.gatewayChannel().channel())
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance());
    long quota = raft.kvConfig().quotaBackendBytes();
    String text =
        MemberMetrics.text(
            s, raft.memberId(), status, quota == 0 ? KvConfig.DEFAULT_QUOTA_BYTES : quota);
    return Response.ok(text).type(MemberMetrics.MEDIA_TYPE).build();
  }
}
