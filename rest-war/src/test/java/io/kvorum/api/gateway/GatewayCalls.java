package io.kvorum.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the gateway tests share: posting a body, checking an answer, reading a stream by lines. */
final class GatewayCalls {
  private GatewayCalls() {}

  static InputStream body(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A unary POST to {@code path}, answered within 10 s. */
  static GatewayReply post(Gateway gateway, String path, String body) throws Exception {
    var method = GatewayRoutes.method(path);
    assertNotNull(method, path);
    return gateway.unary(method, body(body)).get(10, TimeUnit.SECONDS);
  }

  static void assertReply(int status, String json, GatewayReply r) {
    assertEquals(json, r.json());
    assertEquals(status, r.status(), r.json());
  }

  /** Collects what a stream writes, one complete line at a time. */
  static final class Lines extends OutputStream {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder current = new StringBuilder();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(current.toString());
        current.setLength(0);
      } else {
        current.append((char) b); // the gateway's JSON is ASCII: base64 and escaped strings
      }
    }

    /** The next line, or null after 10 s. */
    String next() throws InterruptedException {
      return lines.poll(10, TimeUnit.SECONDS);
    }
  }
}
