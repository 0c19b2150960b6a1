package io.kvorum.api.http;

import io.kvorum.member.Versions;
import io.kvorum.server.KvServer;
import io.kvorum.server.RaftNodeBean;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** etcd's {@code GET /health} and {@code GET /version}, with etcd 3.4's bodies and media types. */
@Path("/")
public class HealthResource {
  @EJB RaftNodeBean raft;

  /**
   * etcd's rules: healthy when a leader is known, no alarm is raised and a quorum read (ReadIndex)
   * completes within a second. {@code {"health":"true"}} with 200, else {@code {"health":"false"}}
   * with 503, as text/plain.
   */
  @GET
  @Path("health")
  @Produces("text/plain; charset=utf-8")
  public Response health() {
    boolean ok = healthy(raft.server());
    return Response.status(ok ? 200 : 503).entity("{\"health\":\"" + ok + "\"}").build();
  }

  private static boolean healthy(KvServer s) {
    if (s == null || s.status().leader() == 0 || !s.store().alarms().isEmpty()) {
      return false;
    }
    try {
      s.readIndex().get(1, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code {"etcdserver":"3.4.23","etcdcluster":"3.4.0"}}: the etcd API level Kvorum serves. */
  @GET
  @Path("version")
  @Produces(MediaType.APPLICATION_JSON)
  public String version() {
    return "{\"etcdserver\":\""
        + Versions.etcdServer()
        + "\",\"etcdcluster\":\""
        + Versions.etcdCluster()
        + "\"}";
  }
}
