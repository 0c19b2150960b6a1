package io.kvorum.api.front;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtocolSnifferTest {

  private static Boolean classify(String firstBytes) {
    return ProtocolSniffer.classify(
        Unpooled.copiedBuffer(firstBytes.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void theHttp2PrefaceIsGrpc() {
    assertEquals(Boolean.TRUE, classify("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    assertEquals(
        Boolean.TRUE, classify("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000\u0012\u0004"));
  }

  @Test
  void aPrefixOfThePrefaceIsUndecided() {
    assertEquals(null, classify(""));
    assertEquals(null, classify("P"));
    assertEquals(null, classify("PRI * HTTP/2.0\r\n\r\nSM\r\n\r"));
  }

  @Test
  void anythingElseIsHttp1() {
    assertEquals(Boolean.FALSE, classify("GET /health HTTP/1.1\r\n"));
    assertEquals(Boolean.FALSE, classify("PO"));
    assertEquals(Boolean.FALSE, classify("PUT"));
    assertEquals(Boolean.FALSE, classify("PRI * HTTP/1.1\r\n"));
    assertEquals(Boolean.FALSE, classify("\u0016\u0003\u0001")); // a TLS ClientHello
  }
}
