package io.kvorum.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.api.LoneMember;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  private static String header(long revision) {
    return member.headerJson(revision);
  }

  @Test
  void aSessionAsEtcdAnswersIt() throws Exception {
    String h2 = "{\"header\":" + header(2);
    GatewayCalls.assertReply(
        200,
        h2 + "}",
        GatewayCalls.post(gateway, "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}"));
    GatewayCalls.assertReply(
        200,
        h2
            + ",\"succeeded\":true,\"responses\":[{\"response_range\":{\"header\":{\"revision\":\"2\"},"
            + "\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"2\","
            + "\"version\":\"1\",\"value\":\"YmFy\"}],\"count\":\"1\"}}]}",
        GatewayCalls.post(
            gateway,
            "/v3/kv/txn",
            "{\"compare\":[{\"key\":\"Zm9v\",\"result\":\"EQUAL\",\"target\":\"VALUE\","
                + "\"value\":\"YmFy\"}],\"success\":[{\"request_range\":{\"key\":\"Zm9v\"}}],"
                + "\"failure\":[]}"));

    GatewayCalls.assertReply(
        200,
        h2 + ",\"ID\":\"777\",\"TTL\":\"30\"}",
        GatewayCalls.post(gateway, "/v3/lease/grant", "{\"TTL\":30,\"ID\":777}"));
    GatewayReply ttl =
        GatewayCalls.post(gateway, "/v3/lease/timetolive", "{\"ID\":777,\"keys\":true}");
    assertTrue(
        ttl.json()
            .matches("\\Q" + h2 + ",\"ID\":\"777\",\"TTL\":\"\\E(29|30)\",\"grantedTTL\":\"30\"}"),
        ttl.json());
    GatewayCalls.assertReply(
        200,
        h2 + ",\"leases\":[{\"ID\":\"777\"}]}",
        GatewayCalls.post(gateway, "/v3/kv/lease/leases", "{}"));
    GatewayCalls.assertReply(
        200, h2 + "}", GatewayCalls.post(gateway, "/v3/lease/revoke", "{\"ID\":777}"));
    GatewayCalls.assertReply(
        404,
        "{\"error\":\"etcdserver: requested lease not found\","
            + "\"message\":\"etcdserver: requested lease not found\",\"code\":5}",
        GatewayCalls.post(gateway, "/v3/lease/revoke", "{\"ID\":777}"));

    GatewayCalls.assertReply(
        200, h2 + "}", GatewayCalls.post(gateway, "/v3/kv/compaction", "{\"revision\":\"2\"}"));
    GatewayCalls.assertReply(
        400,
        "{\"error\":\"etcdserver: mvcc: required revision has been compacted\","
            + "\"message\":\"etcdserver: mvcc: required revision has been compacted\",\"code\":11}",
        GatewayCalls.post(gateway, "/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":1}"));

    // A watch from a compacted revision: created, then cancelled with the compact revision.
    GatewayCalls.Lines old = watch("{\"create_request\":{\"key\":\"Zm9v\",\"start_revision\":1}}");
    assertEquals("{\"result\":{\"header\":" + header(2) + ",\"created\":true}}", old.next());
    assertEquals(
        "{\"result\":{\"header\":" + header(0) + ",\"canceled\":true,\"compact_revision\":\"2\"}}",
        old.next());

    // A live watch: its event arrives when the put happens, while the stream stays open.
    GatewayCalls.Lines live = watch("{\"create_request\":{\"key\":\"Zm9v\"}}");
    assertEquals("{\"result\":{\"header\":" + header(2) + ",\"created\":true}}", live.next());
    GatewayCalls.post(gateway, "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmF6\"}");
    assertEquals(
        "{\"result\":{\"header\":"
            + header(3)
            + ",\"events\":[{\"kv\":{\"key\":\"Zm9v\",\"create_revision\":\"2\","
            + "\"mod_revision\":\"3\",\"version\":\"2\",\"value\":\"YmF6\"}}]}}",
        live.next());
  }

  @Test
  void keepAliveThroughTheGatewayEndsWithTheBody() throws Exception {
    GatewayCalls.post(gateway, "/v3/lease/grant", "{\"TTL\":30,\"ID\":778}");
    GatewayStream s =
        gateway.stream(
            GatewayRoutes.method("/v3/lease/keepalive"),
            GatewayCalls.body("{\"ID\":778}{\"ID\":778}"),
            readers);
    assertEquals(200, s.awaitStatus());
    GatewayCalls.Lines lines = new GatewayCalls.Lines();
    s.writeTo(lines);
    String first = lines.next();
    assertTrue(
        first.matches("\\{\"result\":\\{\"header\":\\{.*\\},\"ID\":\"778\",\"TTL\":\"30\"}}"),
        first);
    assertEquals(first, lines.next());
    assertTrue(lines.lines.isEmpty(), "the stream ended after two answers: " + lines.lines);
  }

  private GatewayCalls.Lines watch(String request) throws Exception {
    GatewayStream s =
        gateway.stream(GatewayRoutes.method("/v3/watch"), GatewayCalls.body(request), readers);
    assertEquals(200, s.awaitStatus());
    GatewayCalls.Lines lines = new GatewayCalls.Lines();
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
}
