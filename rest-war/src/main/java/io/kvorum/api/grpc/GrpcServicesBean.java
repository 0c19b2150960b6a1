package io.kvorum.api.grpc;

import io.grpc.ServerServiceDefinition;
import io.kvorum.api.gateway.GatewayChannel;
import io.kvorum.member.LocalMember;
import io.kvorum.member.MemberIds;
import io.kvorum.server.RaftNodeBean;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.util.List;
import javax.sql.DataSource;

/**
 * The member's etcd gRPC services, built once ({@link EtcdServices}): served to the network by the
 * client port ({@link ClientPortBean}) and, always, in-process to the JSON gateway, so the gateway
 * works even where Payara serves the client URL alone (no client-port front).
 */
@Singleton
@Startup
@DependsOn("RaftNodeBean")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class GrpcServicesBean {
  @EJB LocalMember member;
  @EJB RaftNodeBean raft;
  @Resource ManagedExecutorService executor;
  @Resource ManagedScheduledExecutorService scheduler;

  @Resource(lookup = "java:app/jdbc/kvorum")
  DataSource database;

  private EtcdServices services;
  private GatewayChannel gateway;

  @PostConstruct
  void start() {
    services =
        new EtcdServices(
            raft::server,
            raft.clusterId(),
            raft.memberId(),
            raft.kvConfig(),
            executor,
            scheduler,
            database);
    gateway =
        GatewayChannel.start(
            "kvorum-gateway-"
                + MemberIds.hex(raft.memberId())
                + "-"
                + System.identityHashCode(this),
            services.definitions(),
            executor);
  }

  @PreDestroy
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (services != null) {
      services.close();
    }
  }

  /** The services, bound to this member. */
  public List<ServerServiceDefinition> definitions() {
    return services.definitions();
  }

  /** The in-process channel the JSON gateway calls the services through. */
  public GatewayChannel gatewayChannel() {
    return gateway;
  }
}
