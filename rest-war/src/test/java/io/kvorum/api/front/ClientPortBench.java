package io.kvorum.api.front;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import io.kvorum.api.pb.etcdserverpb.StatusRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Latency harness for the client port (not a test: no assertions, run by hand).
 *
 * <p>Sequential requests on one connection, so each number is one request's round trip: gRPC unary
 * Maintenance.Status straight to grpc-netty on TCP versus through {@link ClientPortFront}; HTTP/1.1
 * keep-alive GET /health straight to a JDK HttpServer versus through the front. Rounds alternate
 * between the two paths so machine noise hits both. With an argument {@code host:port}, also times
 * Status against that endpoint (e.g. a Payara Micro with grpc-servlet) and fetches a 210 KiB Range
 * response from it.
 *
 * <p>Run: see docs/client-port.md.
 */
public final class ClientPortBench {

  private static final int WARMUP = 5_000;
  private static final int CALLS = 10_000;
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 9);

  public static void main(String[] args) throws Exception {
    FakeMember member = new FakeMember();
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try (EchoHttpBackend http = new EchoHttpBackend();
        ClientPortFront front =
            ClientPortFront.start(options(loopback, http.address()), member.services())) {
      NettyServerBuilder direct = NettyServerBuilder.forAddress(loopback);
      member.services().forEach(direct::addService);
      Server directServer = direct.build().start();
      InetSocketAddress frontAddress = front.boundAddresses().get(0);
      InetSocketAddress directAddress = (InetSocketAddress) directServer.getListenSockets().get(0);
      ManagedChannel viaFront = channel(frontAddress);
      ManagedChannel straight = channel(directAddress);
      try {
        double[][] grpc = new double[2][ROUNDS];
        double[][] http1 = new double[2][ROUNDS];
        for (int r = -1; r < ROUNDS; r++) {
          int n = r < 0 ? WARMUP : CALLS; // round -1 warms the JIT on every path
          double a = timeGrpc(straight, n);
          double b = timeGrpc(viaFront, n);
          double c = timeHttp(http.address(), n);
          double d = timeHttp(frontAddress, n);
          if (r >= 0) {
            grpc[0][r] = a;
            grpc[1][r] = b;
            http1[0][r] = c;
            http1[1][r] = d;
          }
        }
        report("gRPC unary Status, direct grpc-netty TCP", grpc[0]);
        report("gRPC unary Status, through the front    ", grpc[1]);
        report("HTTP/1.1 GET /health, direct            ", http1[0]);
        report("HTTP/1.1 GET /health, through the front ", http1[1]);
      } finally {
        viaFront.shutdownNow();
        straight.shutdownNow();
        directServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    if (args.length > 0) {
      String[] hostPort = args[0].split(":");
      ManagedChannel other =
          channel(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
      try {
        timeGrpc(other, WARMUP);
        double[] rounds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
          rounds[r] = timeGrpc(other, CALLS);
        }
        report("gRPC unary Status, " + args[0], rounds);
        try {
          int n =
              KVGrpc.newBlockingStub(other)
                  .range(
                      RangeRequest.newBuilder()
                          .setKey(com.google.protobuf.ByteString.copyFromUtf8("big200"))
                          .build())
                  .getKvsCount();
          System.out.println("Range big200 from " + args[0] + ": " + n + " keys");
        } catch (RuntimeException e) {
          System.out.println("Range big200 from " + args[0] + " failed: " + e);
        }
      } finally {
        other.shutdownNow();
      }
    }
  }

  /** Defaults, with {@code -Dbench.ioThreads=N} to try other event loop counts. */
  private static ClientPortOptions options(InetSocketAddress listen, InetSocketAddress http) {
    ClientPortOptions d = ClientPortOptions.of(List.of(listen), http);
    return new ClientPortOptions(
        d.listenAddresses(),
        d.httpBackend(),
        d.maxConnections(),
        d.prefaceTimeout(),
        Integer.getInteger("bench.ioThreads", d.ioThreads()),
        d.callbackThreads(),
        d.maxRequestBytes(),
        d.keepAliveMinTime(),
        d.keepAliveInterval(),
        d.keepAliveTimeout(),
        d.shutdownGrace());
  }

  private static ManagedChannel channel(InetSocketAddress address) {
    return NettyChannelBuilder.forAddress(address).usePlaintext().build();
  }

  private static Socket socket(InetSocketAddress address) throws IOException {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** Mean microseconds per call over n sequential calls. */
  private static double timeGrpc(ManagedChannel channel, int n) {
    MaintenanceGrpc.MaintenanceBlockingStub stub = MaintenanceGrpc.newBlockingStub(channel);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      stub.status(StatusRequest.getDefaultInstance());
    }
    return (System.nanoTime() - start) / 1_000.0 / n;
  }

  private static final byte[] GET_HEALTH =
      "GET /health HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * Mean microseconds per request over n keep-alive requests on one new connection (the JDK server
   * drops connections that wait long for their first request, so one per round).
   */
  private static double timeHttp(InetSocketAddress address, int n) throws IOException {
    try (Socket socket = socket(address)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        out.write(GET_HEALTH);
        out.flush();
        readResponse(in, buffer);
      }
      return (System.nanoTime() - start) / 1_000.0 / n;
    }
  }

  /** Reads one response whose body is {@link EchoHttpBackend#HEALTH}. */
  private static void readResponse(InputStream in, byte[] buffer) throws IOException {
    int have = 0;
    while (true) {
      int read = in.read(buffer, have, buffer.length - have);
      if (read < 0) {
        throw new IOException("connection closed");
      }
      have += read;
      String text = new String(buffer, 0, have, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0 && have - end - 4 >= EchoHttpBackend.HEALTH.length()) {
        return;
      }
    }
  }

  private static void report(String label, double[] microsPerCall) {
    double[] sorted = microsPerCall.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%s  median of %d rounds: %6.1f us/request, best round %6.1f  (rounds: %s)%n",
        label,
        sorted.length,
        sorted[sorted.length / 2],
        sorted[0],
        Arrays.toString(Arrays.stream(microsPerCall).map(x -> Math.round(x)).toArray()));
  }
}
