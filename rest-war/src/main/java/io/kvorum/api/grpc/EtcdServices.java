package io.kvorum.api.grpc;

import io.grpc.ServerServiceDefinition;
import io.kvorum.config.MemberConfig;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.RequestValidator;
import io.kvorum.server.KvServer;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one list of etcd's gRPC services a member serves: the client port's gRPC server and the JSON
 * gateway's in-process server both serve exactly these. Add a service here and both APIs have it.
 */
public final class EtcdServices {
  private EtcdServices() {}

  /**
   * Binds every service to the member.
   *
   * @param server the member's running server (null while it starts or after it stopped)
   * @param clusterId the cluster id response headers carry
   * @param memberId this member's id
   * @param kv the MVCC limits requests are validated against
   * @param config the member's configuration (initial cluster, advertised URLs)
   */
  public static List<ServerServiceDefinition> of(
      Supplier<KvServer> server, long clusterId, long memberId, KvConfig kv, MemberConfig config) {
    MemberView view = new MemberView(server, clusterId, memberId);
    RequestValidator validator = new RequestValidator(kv);
    return List.of(
        new KvGrpcService(view, validator).bindService(),
        new MaintenanceGrpcService(view).bindService(),
        new ClusterGrpcService(view, config).bindService());
  }
}
