package io.kvorum.api.http;

import io.kvorum.member.LocalMember;
import io.kvorum.member.Versions;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** etcd's {@code GET /health} and {@code GET /version}, with etcd 3.4's bodies and media types. */
@Path("/")
public class HealthResource {
  @EJB LocalMember member;

  /** {@code {"health":"true"}} with 200, or {@code {"health":"false"}} with 503, as text/plain. */
  @GET
  @Path("health")
  @Produces("text/plain; charset=utf-8")
  public Response health() {
    boolean ok = member.healthy();
    return Response.status(ok ? 200 : 503).entity("{\"health\":\"" + ok + "\"}").build();
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
