package io.kvorum.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.api.LoneMember;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Txn, Compact, the Lease calls and Watch through the gateway over the member's real services, in
 * the order of a session run against etcd 3.4.23's gateway (one member, {@code curl -X POST
 * 127.0.0.1:2579/v3/...}, 2026-11-25): every expected body is the one etcd printed, with this
 * member's ids and term.
 */
class GatewayTxnLeaseWatchTest {
  @TempDir static Path dir;
  private static LoneMember member;
  private static Gateway gateway;
  private static final ExecutorService readers = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws InterruptedException {
    member = new LoneMember(dir);
    gateway = new Gateway(member.channel.channel());
  }

  @AfterAll
  static void stop() {
    member.close();
    readers.shutdownNow();
  }

  private static GatewayReply post(String path, String body) throws Exception {
    return gateway.unary(GatewayRoutes.method(path), body(body)).get(10, TimeUnit.SECONDS);
  }

  private static ByteArrayInputStream body(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String header(long revision) {
    return "{\"cluster_id\":\"16185427656501660224\",\"member_id\":\""
        + Long.toUnsignedString(member.memberId)
        + "\","
        + (revision == 0 ? "" : "\"revision\":\"" + revision + "\",")
        + "\"raft_term\":\""
        + member.server.status().term()
        + "\"}";
  }

  private static void assertReply(int status, String json, GatewayReply r) {
    assertEquals(json, r.json());
    assertEquals(status, r.status(), r.json());
  }

  @Test
  void aSessionAsEtcdAnswersIt() throws Exception {
    String h2 = "{\"header\":" + header(2);
    assertReply(200, h2 + "}", post("/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}"));
    assertReply(
        200,
        h2
            + ",\"succeeded\":true,\"responses\":[{\"response_range\":{\"header\":{\"revision\":\"2\"},"
            + "\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"2\","
            + "\"version\":\"1\",\"value\":\"YmFy\"}],\"count\":\"1\"}}]}",
        post(
            "/v3/kv/txn",
            "{\"compare\":[{\"key\":\"Zm9v\",\"result\":\"EQUAL\",\"target\":\"VALUE\","
                + "\"value\":\"YmFy\"}],\"success\":[{\"request_range\":{\"key\":\"Zm9v\"}}],"
                + "\"failure\":[]}"));

    assertReply(
        200,
        h2 + ",\"ID\":\"777\",\"TTL\":\"30\"}",
        post("/v3/lease/grant", "{\"TTL\":30,\"ID\":777}"));
    GatewayReply ttl = post("/v3/lease/timetolive", "{\"ID\":777,\"keys\":true}");
    assertTrue(
        ttl.json()
            .matches("\\Q" + h2 + ",\"ID\":\"777\",\"TTL\":\"\\E(29|30)\",\"grantedTTL\":\"30\"}"),
        ttl.json());
    assertReply(200, h2 + ",\"leases\":[{\"ID\":\"777\"}]}", post("/v3/kv/lease/leases", "{}"));
    assertReply(200, h2 + "}", post("/v3/lease/revoke", "{\"ID\":777}"));
    assertReply(
        404,
        "{\"error\":\"etcdserver: requested lease not found\","
            + "\"message\":\"etcdserver: requested lease not found\",\"code\":5}",
        post("/v3/lease/revoke", "{\"ID\":777}"));

    assertReply(200, h2 + "}", post("/v3/kv/compaction", "{\"revision\":\"2\"}"));
    assertReply(
        400,
        "{\"error\":\"etcdserver: mvcc: required revision has been compacted\","
            + "\"message\":\"etcdserver: mvcc: required revision has been compacted\",\"code\":11}",
        post("/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":1}"));

    // A watch from a compacted revision: created, then cancelled with the compact revision.
    Lines old = watch("{\"create_request\":{\"key\":\"Zm9v\",\"start_revision\":1}}");
    assertEquals("{\"result\":{\"header\":" + header(2) + ",\"created\":true}}", old.next());
    assertEquals(
        "{\"result\":{\"header\":" + header(0) + ",\"canceled\":true,\"compact_revision\":\"2\"}}",
        old.next());

    // A live watch: its event arrives when the put happens, while the stream stays open.
    Lines live = watch("{\"create_request\":{\"key\":\"Zm9v\"}}");
    assertEquals("{\"result\":{\"header\":" + header(2) + ",\"created\":true}}", live.next());
    post("/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmF6\"}");
    assertEquals(
        "{\"result\":{\"header\":"
            + header(3)
            + ",\"events\":[{\"kv\":{\"key\":\"Zm9v\",\"create_revision\":\"2\","
            + "\"mod_revision\":\"3\",\"version\":\"2\",\"value\":\"YmF6\"}}]}}",
        live.next());
  }

  @Test
  void keepAliveThroughTheGatewayEndsWithTheBody() throws Exception {
    post("/v3/lease/grant", "{\"TTL\":30,\"ID\":778}");
    GatewayStream s =
        gateway.stream(
            GatewayRoutes.method("/v3/lease/keepalive"), body("{\"ID\":778}{\"ID\":778}"), readers);
    assertEquals(200, s.awaitStatus());
    Lines lines = new Lines();
    s.writeTo(lines);
    String first = lines.next();
    assertTrue(
        first.matches("\\{\"result\":\\{\"header\":\\{.*\\},\"ID\":\"778\",\"TTL\":\"30\"}}"),
        first);
    assertEquals(first, lines.next());
    assertTrue(lines.lines.isEmpty(), "the stream ended after two answers: " + lines.lines);
  }

  private Lines watch(String request) throws Exception {
    GatewayStream s = gateway.stream(GatewayRoutes.method("/v3/watch"), body(request), readers);
    assertEquals(200, s.awaitStatus());
    Lines lines = new Lines();
    readers.execute(
        () -> {
          try {
            s.writeTo(lines);
          } catch (IOException e) {
            lines.lines.add("failed: " + e);
          }
        });
    return lines;
  }

  /** What the gateway writes, one line at a time. */
  private static final class Lines extends OutputStream {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder current = new StringBuilder();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(current.toString());
        current.setLength(0);
      } else {
        current.append((char) b);
      }
    }

    String next() throws InterruptedException {
      return lines.poll(10, TimeUnit.SECONDS);
    }
  }
}
