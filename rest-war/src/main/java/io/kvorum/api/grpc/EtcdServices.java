package io.kvorum.api.grpc;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.RequestValidator;
import io.kvorum.server.KvServer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The one set of etcd's gRPC services a member serves: the client port's gRPC server and the JSON
 * gateway's in-process server both serve exactly these. Add a service here and both APIs have it.
 *
 * <p>{@link #close()} ends what the services keep running (open watches, progress notifications).
 */
public final class EtcdServices implements AutoCloseable {
  private final WatchGrpcService watch;
  private final List<ServerServiceDefinition> definitions;

  /**
   * Binds every service to the member.
   *
   * @param server the member's running server (null while it starts or after it stopped)
   * @param clusterId the cluster id response headers carry
   * @param memberId this member's id
   * @param kv the MVCC limits requests are validated against
   * @param executor where watch streams send their events
   * @param scheduler times watch progress notifications
   * @param database the member's data source (Status's DB size, Defragment); null for none
   */
  public EtcdServices(
      Supplier<KvServer> server,
      long clusterId,
      long memberId,
      KvConfig kv,
      Executor executor,
      ScheduledExecutorService scheduler,
      DataSource database) {
    MemberView view = new MemberView(server, clusterId, memberId);
    RequestValidator validator = new RequestValidator(kv);
    Concurrency concurrency = new Concurrency(view, validator, executor);
    watch =
        new WatchGrpcService(view, executor, scheduler, WatchGrpcService.PROGRESS_NOTIFY_MILLIS);
    LearnerGuard learners = new LearnerGuard(view::isLearner);
    definitions =
        List.of(
                new KvGrpcService(view, validator).bindService(),
                new LeaseGrpcService(view, validator).bindService(),
                watch.bindService(),
                new MaintenanceGrpcService(view, DatabaseFile.ofMember(database)).bindService(),
                new ClusterGrpcService(view).bindService(),
                new LockGrpcService(concurrency).bindService(),
                new ElectionGrpcService(concurrency).bindService())
            .stream()
            .map(d -> ServerInterceptors.intercept(d, learners))
            .toList();
  }

  /** The services' definitions, bound to this member. */
  public List<ServerServiceDefinition> definitions() {
    return definitions;
  }

  @Override
  public void close() {
    watch.close();
  }
}
