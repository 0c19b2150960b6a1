package io.kvorum.api.http;

import io.grpc.MethodDescriptor;
import io.kvorum.api.gateway.Gateway;
import io.kvorum.api.gateway.GatewayReply;
import io.kvorum.api.gateway.GatewayRoutes;
import io.kvorum.api.gateway.GatewayStream;
import io.kvorum.api.grpc.GrpcServicesBean;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * etcd's JSON gateway at {@code /v3/...} and {@code /v3beta/...}: POST a JSON request, get the JSON
 * response (see {@link Gateway}). Thin: routing and the JSON conventions live in {@code
 * api.gateway}, the behaviour in the gRPC services it calls.
 *
 * <p>As etcd 3.4.23 answers: an unknown path is 404 {@code Not Found}, a GET on a route 405 {@code
 * Method Not Allowed} (both text/plain; PUT and DELETE get Jersey's own 405), OPTIONS 200, and
 * every answer carries etcd's CORS headers.
 */
@Path("/")
public class GatewayResource {
  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";

  @EJB GrpcServicesBean services;
  @Resource ManagedThreadFactory threads;

  /** A unary call answers when the service does, without holding a request thread meanwhile. */
  @POST
  @Path("{version: v3|v3beta}/{method: .+}")
  public void post(
      @PathParam("version") String version,
      @PathParam("method") String method,
      InputStream body,
      @Suspended AsyncResponse response) {
    MethodDescriptor<?, ?> m = GatewayRoutes.method("/" + version + "/" + method);
    if (m == null) {
      response.resume(cors(Response.status(404).type(TEXT).entity("Not Found\n")));
      return;
    }
    Gateway gateway = new Gateway(services.gatewayChannel().channel());
    if (m.getType() == MethodDescriptor.MethodType.UNARY) {
      gateway
          .unary(m, body)
          .thenAccept(
              (GatewayReply r) -> {
                byte[] json = r.json().getBytes(StandardCharsets.UTF_8);
                response.resume(
                    cors(
                        Response.status(r.status())
                            .type(JSON)
                            .header(HttpHeaders.CONTENT_LENGTH, json.length) // as etcd, not chunked
                            .entity(json)));
              });
      return;
    }
    // A stream reads later requests from the body while responses are written: a thread of its own.
    GatewayStream stream = gateway.stream(m, body, task -> threads.newThread(task).start());
    int status;
    try {
      status = stream.awaitStatus();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.cancel();
      return;
    }
    StreamingOutput out = stream::writeTo;
    response.resume(cors(Response.status(status).type(JSON).entity(out)));
  }

  @GET
  @Path("{version: v3|v3beta}/{method: .+}")
  public Response get(@PathParam("version") String version, @PathParam("method") String method) {
    return notAllowed(version, method);
  }

  /** etcd answers every preflight itself, with its CORS headers and no body. */
  @OPTIONS
  @Path("{version: v3|v3beta}/{method: .+}")
  public Response options() {
    return cors(Response.ok());
  }

  private static Response notAllowed(String version, String method) {
    boolean known = GatewayRoutes.method("/" + version + "/" + method) != null;
    return cors(
        Response.status(known ? 405 : 404)
            .type(TEXT)
            .entity(known ? "Method Not Allowed\n" : "Not Found\n"));
  }

  private static Response cors(Response.ResponseBuilder r) {
    return r.header("Access-Control-Allow-Origin", "*")
        .header("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE")
        .header("Access-Control-Allow-Headers", "accept, content-type, authorization")
        .build();
  }
}
