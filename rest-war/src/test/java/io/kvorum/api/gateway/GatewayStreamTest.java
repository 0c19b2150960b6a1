package io.kvorum.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.LeaseGrpc;
import io.kvorum.api.pb.etcdserverpb.LeaseKeepAliveRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseKeepAliveResponse;
import io.kvorum.api.pb.etcdserverpb.ResponseHeader;
import io.kvorum.api.pb.etcdserverpb.WatchGrpc;
import io.kvorum.api.pb.etcdserverpb.WatchRequest;
import io.kvorum.api.pb.etcdserverpb.WatchResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's streams (Watch, LeaseKeepAlive) over test services that behave as etcd's do: a
 * keep-alive stream ends when the client's requests end, a watch stays open and pushes events.
 * Expected lines are etcd 3.4.23's ({@code curl -N -X POST .../v3/lease/keepalive -d
 * '{"ID":778}{"ID":778}'} and {@code .../v3/watch}), with this test's header.
 */
class GatewayStreamTest {
  private static final ResponseHeader HEADER =
      ResponseHeader.newBuilder()
          .setClusterId(7)
          .setMemberId(8)
          .setRevision(4)
          .setRaftTerm(2)
          .build();
  private static final String HEADER_JSON =
      "{\"cluster_id\":\"7\",\"member_id\":\"8\",\"revision\":\"4\",\"raft_term\":\"2\"}";

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<StreamObserver<WatchResponse>> watchers = new LinkedBlockingQueue<>();
  private final CountDownLatch watchCancelled = new CountDownLatch(1);
  private GatewayChannel channel;
  private Gateway gateway;

  /** Answers each keep-alive with TTL 30, as etcd does for a live lease; fails lease 13. */
  private final class Leases extends LeaseGrpc.LeaseImplBase {
    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(
        StreamObserver<LeaseKeepAliveResponse> out) {
      return new StreamObserver<>() {
        private boolean failed;

        @Override
        public void onNext(LeaseKeepAliveRequest r) {
          if (failed) {
            return;
          }
          if (r.getID() == 13) {
            failed = true;
            out.onError(
                Status.NOT_FOUND
                    .withDescription("etcdserver: requested lease not found")
                    .asRuntimeException());
            return;
          }
          out.onNext(
              LeaseKeepAliveResponse.newBuilder()
                  .setHeader(HEADER)
                  .setID(r.getID())
                  .setTTL(30)
                  .build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          if (!failed) {
            out.onCompleted();
          }
        }
      };
    }
  }

  /** Confirms each create, then pushes what the test hands it; ignores the end of requests. */
  private final class Watches extends WatchGrpc.WatchImplBase {
    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
      ((ServerCallStreamObserver<WatchResponse>) out).setOnCancelHandler(watchCancelled::countDown);
      return new StreamObserver<>() {
        @Override
        public void onNext(WatchRequest r) {
          out.onNext(WatchResponse.newBuilder().setHeader(HEADER).setCreated(true).build());
          watchers.add(out);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
  }

  @BeforeEach
  void start() {
    channel =
        GatewayChannel.start(
            "stream-test-" + System.nanoTime(),
            List.of(new Leases().bindService(), new Watches().bindService()),
            executor);
    gateway = new Gateway(channel.channel());
  }

  @AfterEach
  void stop() {
    channel.close();
    executor.shutdownNow();
  }

  private GatewayStream stream(String path, InputStream body) {
    return gateway.stream(GatewayRoutes.method(path), body, executor);
  }

  @Test
  void keepAliveAnswersEachRequestAndEndsWithTheBody() throws Exception {
    GatewayStream s =
        stream("/v3/lease/keepalive", GatewayCalls.body("{\"ID\":778}{\"ID\":\"778\"}"));
    assertEquals(200, s.awaitStatus());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.writeTo(out);
    String line = "{\"result\":{\"header\":" + HEADER_JSON + ",\"ID\":\"778\",\"TTL\":\"30\"}}\n";
    assertEquals(line + line, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void watchResultsArriveAsTheServicePushesThem() throws Exception {
    PipedOutputStream requests = new PipedOutputStream();
    GatewayStream s = stream("/v3/watch", new PipedInputStream(requests));
    requests.write("{\"create_request\":{\"key\":\"Zm9v\"}}".getBytes(StandardCharsets.UTF_8));
    requests.flush();
    assertEquals(200, s.awaitStatus());
    GatewayCalls.Lines sink = new GatewayCalls.Lines();
    executor.execute(
        () -> {
          try {
            s.writeTo(sink);
          } catch (IOException e) {
            sink.lines.add("failed: " + e);
          }
        });
    assertEquals(
        "{\"result\":{\"header\":" + HEADER_JSON + ",\"created\":true}}",
        sink.lines.poll(10, TimeUnit.SECONDS));
    requests.close(); // the body ends; the watch stays open, as etcd's does
    StreamObserver<WatchResponse> watcher = watchers.poll(10, TimeUnit.SECONDS);
    watcher.onNext(WatchResponse.newBuilder().setHeader(HEADER).setWatchId(0).build());
    assertEquals(
        "{\"result\":{\"header\":" + HEADER_JSON + "}}", sink.lines.poll(10, TimeUnit.SECONDS));
    watcher.onNext(
        WatchResponse.newBuilder()
            .setHeader(HEADER)
            .setCanceled(true)
            .setCompactRevision(2)
            .build());
    assertEquals(
        "{\"result\":{\"header\":"
            + HEADER_JSON
            + ",\"canceled\":true,\"compact_revision\":\"2\"}}",
        sink.lines.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void aClientThatGoesAwayCancelsTheCall() throws Exception {
    GatewayStream s =
        stream("/v3/watch", GatewayCalls.body("{\"create_request\":{\"key\":\"Zm9v\"}}"));
    assertEquals(200, s.awaitStatus());
    OutputStream gone =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("broken pipe");
          }
        };
    assertThrows(IOException.class, () -> s.writeTo(gone));
    assertTrue(watchCancelled.await(10, TimeUnit.SECONDS), "the service saw the cancellation");
  }

  @Test
  void aFirstRequestThatDoesNotDecodeIsUnknown500LikeEtcd() throws Exception {
    GatewayStream s = stream("/v3/watch", GatewayCalls.body("{\"create_request\":{\"key\":"));
    assertEquals(500, s.awaitStatus());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.writeTo(out);
    assertEquals(
        "{\"error\":\"unexpected EOF\",\"message\":\"unexpected EOF\",\"code\":2}",
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anErrorOfTheCallIsGrpcGatewaysStreamError() throws Exception {
    GatewayStream s = stream("/v3/lease/keepalive", GatewayCalls.body("{\"ID\":778}{\"ID\":13}"));
    assertEquals(200, s.awaitStatus());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.writeTo(out);
    assertEquals(
        "{\"result\":{\"header\":"
            + HEADER_JSON
            + ",\"ID\":\"778\",\"TTL\":\"30\"}}\n"
            + "{\"error\":{\"grpc_code\":5,\"http_code\":404,"
            + "\"message\":\"etcdserver: requested lease not found\",\"http_status\":\"Not Found\"}}\n",
        out.toString(StandardCharsets.UTF_8));
    GatewayStream first = stream("/v3/lease/keepalive", GatewayCalls.body("{\"ID\":13}"));
    assertEquals(404, first.awaitStatus());
  }

  @Test
  void aMethodNoServiceImplementsIsUnimplemented501() throws Exception {
    GatewayReply r =
        gateway
            .unary(GatewayRoutes.method("/v3/kv/range"), GatewayCalls.body("{}"))
            .get(10, TimeUnit.SECONDS);
    assertEquals(501, r.status(), r.json());
    assertEquals(
        "{\"error\":\"Method not found: etcdserverpb.KV/Range\","
            + "\"message\":\"Method not found: etcdserverpb.KV/Range\",\"code\":12}",
        r.json());
    GatewayStream s = stream("/v3/maintenance/snapshot", GatewayCalls.body("{}"));
    assertEquals(501, s.awaitStatus());
  }
}
