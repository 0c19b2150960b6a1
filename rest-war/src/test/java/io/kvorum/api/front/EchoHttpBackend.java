package io.kvorum.api.front;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-test HTTP/1.1 server standing in for Payara's HTTP listener: GET /health answers like
 * etcd's, POST /echo returns its body. Loopback, ephemeral port.
 */
final class EchoHttpBackend implements AutoCloseable {

  static final String HEALTH = "{\"health\":\"true\"}";

  static {
    // The JDK server writes headers and body separately; with Nagle on, every keep-alive
    // response waits ~40 ms for the client's delayed ACK. Read once, when the first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  EchoHttpBackend() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/health", e -> reply(e, HEALTH.getBytes(StandardCharsets.UTF_8)));
    server.createContext(
        "/echo",
        e -> {
          try (InputStream in = e.getRequestBody()) {
            reply(e, in.readAllBytes());
          }
        });
    server.start();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  private void reply(HttpExchange exchange, byte[] body) throws IOException {
    requests.incrementAndGet();
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
