package io.kvorum.api.grpc;

import io.kvorum.api.front.ClientPortFront;
import io.kvorum.api.front.ClientPortOptions;
import io.kvorum.api.front.ListenClientUrls;
import io.kvorum.config.ConfigKey;
import io.kvorum.config.MemberConfig;
import io.kvorum.member.LocalMember;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.logging.Logger;

/**
 * The member's client URL, as etcd serves it: gRPC (etcdctl, jetcd) and HTTP/1.1 (/health, the JSON
 * gateway) on one port. The {@link ClientPortFront} binds {@code listen-client-urls}, serves gRPC
 * in-process and relays HTTP/1.1 to Payara's HTTP listener on its internal loopback port.
 *
 * <p>Started only when the {@code kvorum} launcher placed Payara's listener on an internal port
 * (system property {@value LocalMember#INTERNAL_HTTP_PORT}); otherwise Payara serves the client URL
 * itself, HTTP only.
 */
@Singleton
@Startup
@DependsOn("GrpcServicesBean")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ClientPortBean {
  private static final Logger LOG = Logger.getLogger(ClientPortBean.class.getName());

  @EJB LocalMember member;
  @EJB GrpcServicesBean services;
  @Resource ManagedExecutorService executor;

  private ClientPortFront front;

  @PostConstruct
  void start() {
    String internal = System.getProperty(LocalMember.INTERNAL_HTTP_PORT);
    if (internal == null) {
      LOG.info(
          "no "
              + LocalMember.INTERNAL_HTTP_PORT
              + ": Payara serves the client URL (HTTP only, no gRPC)");
      return;
    }
    MemberConfig c = member.config();
    String listen =
        String.join(
            ",", c.urls(ConfigKey.LISTEN_CLIENT_URLS).stream().map(Object::toString).toList());
    ClientPortOptions options =
        ClientPortOptions.of(
                ListenClientUrls.parse(listen),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(internal)))
            .withMaxRequestBytes(
                (int)
                    Math.min(
                        Integer.MAX_VALUE - ClientPortOptions.GRPC_OVERHEAD_BYTES,
                        c.number(ConfigKey.MAX_REQUEST_BYTES)));
    front = ClientPortFront.start(options, services.definitions(), executor);
    LOG.info(
        () ->
            "client URL "
                + listen
                + ": gRPC and HTTP/1.1 (HTTP relayed to 127.0.0.1:"
                + internal
                + ")");
  }

  @PreDestroy
  void stop() {
    if (front != null) {
      front.close();
    }
  }
}
