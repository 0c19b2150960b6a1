package io.kvorum.api.front;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import io.kvorum.api.pb.etcdserverpb.RangeResponse;
import io.kvorum.api.pb.etcdserverpb.StatusRequest;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** gRPC and HTTP/1.1 on one port, through {@link ClientPortFront}, all on loopback. */
class ClientPortFrontTest {

  private static final InetSocketAddress ANY_LOOPBACK_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private final FakeMember member = new FakeMember();
  private EchoHttpBackend http;
  private ClientPortFront front;
  private ManagedChannel grpc;
  private final HttpClient httpClient =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws IOException {
    http = new EchoHttpBackend();
    front = startFront(ClientPortOptions.of(List.of(ANY_LOOPBACK_PORT), http.address()));
  }

  private ClientPortFront startFront(ClientPortOptions options) {
    if (grpc != null) {
      grpc.shutdownNow(); // a test restarting the front with other options
    }
    ClientPortFront started = ClientPortFront.start(options, member.services());
    grpc =
        NettyChannelBuilder.forAddress(started.boundAddresses().get(0))
            .usePlaintext() // h2c with prior knowledge, as etcdctl connects
            .build();
    return started;
  }

  @AfterEach
  void stop() throws InterruptedException {
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    front.close();
    http.close();
  }

  private int port() {
    return front.boundAddresses().get(0).getPort();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  @Test
  void grpcUnaryCallReachesTheGrpcServices() {
    StatusResponse status =
        MaintenanceGrpc.newBlockingStub(grpc).status(StatusRequest.getDefaultInstance());

    assertEquals(FakeMember.MEMBER_ID, status.getHeader().getMemberId());
    assertEquals(FakeMember.RAFT_INDEX, status.getRaftIndex());
    assertEquals(1, member.statusCalls.get());
    assertEquals(0, http.requests.get());
  }

  @Test
  void grpcConnectionsLogNoLocalHopWarning() {
    List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger bootstrap = Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap");
    bootstrap.addHandler(capture);
    try {
      MaintenanceGrpc.newBlockingStub(grpc).status(StatusRequest.getDefaultInstance());
    } finally {
      bootstrap.removeHandler(capture);
    }
    assertEquals(
        List.of(), records.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
  }

  @Test
  void serviceMethodsRunOnACallersExecutorWhichCloseLeavesRunning() throws Exception {
    java.util.concurrent.ExecutorService container =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "container-1"));
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      front.close();
      front =
          ClientPortFront.start(
              front0(),
              List.of(
                  io.grpc.ServerInterceptors.intercept(
                      member.services().get(0),
                      new io.grpc.ServerInterceptor() {
                        @Override
                        public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
                            io.grpc.ServerCall<Q, R> call,
                            io.grpc.Metadata headers,
                            io.grpc.ServerCallHandler<Q, R> next) {
                          threads.add(Thread.currentThread().getName());
                          return next.startCall(call, headers);
                        }
                      })),
              container);
      grpc.shutdownNow();
      grpc = NettyChannelBuilder.forAddress(front.boundAddresses().get(0)).usePlaintext().build();

      MaintenanceGrpc.newBlockingStub(grpc).status(StatusRequest.getDefaultInstance());
      front.close();

      assertEquals(List.of("container-1"), threads);
      assertEquals("still running", container.submit(() -> "still running").get());
    } finally {
      container.shutdownNow();
    }
  }

  @Test
  void httpOneOneReachesTheHttpBackend() throws Exception {
    HttpResponse<String> health =
        httpClient.send(
            HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, health.statusCode());
    assertEquals(EchoHttpBackend.HEALTH, health.body());
    assertEquals(HttpClient.Version.HTTP_1_1, health.version());
    assertEquals(0, member.statusCalls.get());
  }

  @Test
  void bothProtocolsInterleavedOnOnePort() throws Exception {
    KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(grpc);
    for (int i = 0; i < 20; i++) {
      String key = "key-" + i;
      RangeResponse range =
          kv.range(
              RangeRequest.newBuilder()
                  .setKey(com.google.protobuf.ByteString.copyFromUtf8(key))
                  .build());
      assertEquals(key, range.getKvs(0).getKey().toStringUtf8());

      String body = "{\"key\":\"" + i + "\"}";
      HttpResponse<String> echo =
          httpClient.send(
              HttpRequest.newBuilder(uri("/echo"))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(body, echo.body());
    }
    assertEquals(20, member.rangeCalls.get());
    assertEquals(20, http.requests.get());
  }

  @Test
  void largeGrpcResponsePassesHttp2FlowControl() {
    // ~3 MiB: far past HTTP/2's 64 KiB initial window, so WINDOW_UPDATEs must cross the splice.
    RangeResponse big =
        KVGrpc.newBlockingStub(grpc)
            .withMaxInboundMessageSize(16 << 20)
            .range(
                RangeRequest.newBuilder()
                    .setKey(com.google.protobuf.ByteString.copyFromUtf8("big3000"))
                    .build());

    assertEquals(3000, big.getKvsCount());
    assertEquals(1024, big.getKvs(2999).getValue().size());
  }

  @Test
  void largeHttpBodyIsRelayedIntact() throws Exception {
    byte[] body = new byte[8 << 20];
    new Random(7).nextBytes(body);

    HttpResponse<byte[]> echo =
        httpClient.send(
            HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertArrayEquals(body, echo.body());
  }

  @Test
  void grpcErrorStatusAndMessageArriveUnchanged() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                KVGrpc.newBlockingStub(grpc)
                    .range(
                        RangeRequest.newBuilder()
                            .setKey(com.google.protobuf.ByteString.copyFromUtf8("compacted"))
                            .build()));

    assertEquals(Status.Code.OUT_OF_RANGE, e.getStatus().getCode());
    assertEquals(
        "etcdserver: mvcc: required revision has been compacted", e.getStatus().getDescription());
  }

  @Test
  void requestArrivingOneByteAtATimeIsStillRoutedAsHttp() throws IOException {
    // "P" could start the HTTP/2 preface; "PO" cannot. The sniffer must wait, then decide.
    byte[] request =
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"
            .getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      for (byte b : request) {
        out.write(b);
        out.flush();
      }
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.endsWith("\r\n\r\nhi"), response);
    }
  }

  @Test
  void silentConnectionIsClosedAfterThePrefaceTimeout() throws Exception {
    front.close();
    front = startFront(front0().withPrefaceTimeout(Duration.ofMillis(200)));
    try (Socket socket = connect()) {
      // The socket timeout only bounds a broken test; the front closes the connection first.
      socket.setSoTimeout(30_000);
      assertEquals(-1, socket.getInputStream().read());
    }
  }

  @Test
  void connectionsBeyondTheLimitAreClosed() throws Exception {
    front.close();
    front = startFront(front0().withMaxConnections(2));
    try (Socket first = connect();
        Socket second = connect()) {
      assertTrue(get(first, "/health").contains(EchoHttpBackend.HEALTH));
      assertTrue(get(second, "/health").contains(EchoHttpBackend.HEALTH));
      try (Socket third = connect()) {
        third.setSoTimeout(30_000);
        assertEquals(-1, third.getInputStream().read());
      }
    }
    while (front.openConnections() > 0) {
      Thread.sleep(10); // the closes above are counted down on the front's event loop
    }
    try (Socket again = connect()) {
      assertTrue(get(again, "/health").contains(EchoHttpBackend.HEALTH));
    }
  }

  @Test
  void unreachableHttpBackendAnswers503() throws Exception {
    InetSocketAddress closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = (InetSocketAddress) probe.getLocalSocketAddress();
    }
    front.close();
    front = startFront(ClientPortOptions.of(List.of(ANY_LOOPBACK_PORT), closedPort));

    HttpResponse<String> response =
        httpClient.send(
            HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(503, response.statusCode());
  }

  @Test
  void closeReleasesThePortAndEveryThread() throws Exception {
    MaintenanceGrpc.newBlockingStub(grpc).status(StatusRequest.getDefaultInstance());
    try (Socket open = connect()) {
      assertTrue(get(open, "/health").contains(EchoHttpBackend.HEALTH));
      int port = port();

      front.close();

      assertThrows(
          ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port));
      assertEquals(-1, open.getInputStream().read(), "open connections are closed");
    }
    List<String> left =
        Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(name -> name.startsWith("kvorum-client-"))
            .toList();
    assertEquals(List.of(), left);
    front.close(); // idempotent
  }

  @Test
  void bindFailureNamesTheKeyAndLeavesNothingRunning() throws Exception {
    InetSocketAddress taken = front.boundAddresses().get(0);
    ClientPortOptions clash = ClientPortOptions.of(List.of(taken), http.address());

    Exception e =
        assertThrows(RuntimeException.class, () -> ClientPortFront.start(clash, List.of()));

    assertTrue(e.getMessage().contains("listen-client-urls"), e.getMessage());
  }

  private ClientPortOptions front0() {
    return ClientPortOptions.of(List.of(ANY_LOOPBACK_PORT), http.address());
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port());
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** One keep-alive HTTP/1.1 GET on a raw socket; returns headers and body. */
  private static String get(Socket socket, String path) throws IOException {
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder response = new StringBuilder();
    int contentLength = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      response.append((char) c);
      if (response.toString().endsWith("\r\n\r\n") && contentLength < 0) {
        for (String line : response.toString().split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            contentLength = Integer.parseInt(line.substring(15).trim());
          }
        }
        response.append(new String(in.readNBytes(contentLength), StandardCharsets.UTF_8));
        break;
      }
    }
    return response.toString();
  }
}
