package io.kvorum.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.api.LoneMember;
import io.kvorum.kv.core.CompactionRequest;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway over a member's real gRPC services, unary calls. Every expected body and status was
 * first obtained from etcd 3.4.23's gateway ({@code curl -X POST 127.0.0.1:2579/v3/... -d ...}, one
 * member, 2026-11-25) for the same sequence of requests; only the ids and the term are this
 * member's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayUnaryTest {
  @TempDir static Path dir;
  private static LoneMember member;
  private static Gateway gateway;

  @BeforeAll
  static void start() throws InterruptedException {
    member = new LoneMember(dir);
    gateway = new Gateway(member.channel.channel());
  }

  @AfterAll
  static void stop() {
    member.close();
  }

  private static String header(long revision) {
    return member.headerJson(revision);
  }

  @Test
  @Order(1)
  void putThenRangeWithInt64AsStringsAndBytesAsBase64() throws Exception {
    GatewayCalls.assertReply(
        200,
        "{\"header\":" + header(2) + "}",
        GatewayCalls.post(gateway, "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}"));
    String foo =
        "{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"2\",\"version\":\"1\","
            + "\"value\":\"YmFy\"}";
    GatewayCalls.assertReply(
        200,
        "{\"header\":" + header(2) + ",\"kvs\":[" + foo + "],\"count\":\"1\"}",
        GatewayCalls.post(gateway, "/v3/kv/range", "{\"key\":\"Zm9v\"}"));
    // The v3beta alias, an unknown field, a number for an int64 and a second JSON value after the
    // first (ignored, as json.Decoder reads one value) change nothing.
    GatewayCalls.assertReply(
        200,
        "{\"header\":" + header(2) + ",\"kvs\":[" + foo + "],\"count\":\"1\"}",
        GatewayCalls.post(
            gateway, "/v3beta/kv/range", "{\"key\":\"Zm9v\",\"bogus\":1,\"limit\":2} {\"x\":1}"));
    // Enums by name or number, JSON or proto field names.
    String keysOnly =
        "{\"header\":"
            + header(2)
            + ",\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"2\","
            + "\"version\":\"1\"}],\"count\":\"1\"}";
    GatewayCalls.assertReply(
        200,
        keysOnly,
        GatewayCalls.post(
            gateway,
            "/v3/kv/range",
            "{\"key\":\"Zm9v\",\"sort_order\":\"DESCEND\",\"keys_only\":true}"));
    GatewayCalls.assertReply(
        200,
        keysOnly,
        GatewayCalls.post(
            gateway, "/v3/kv/range", "{\"key\":\"Zm9v\",\"sortOrder\":2,\"keysOnly\":true}"));
  }

  @Test
  @Order(2)
  void aRangeWithNoKvsIsTheHeaderAlone() throws Exception {
    GatewayCalls.assertReply(
        200,
        "{\"header\":" + header(2) + "}",
        GatewayCalls.post(gateway, "/v3/kv/range", "{\"key\":\"bm9uZQ==\"}"));
  }

  @Test
  @Order(3)
  void serviceErrorsAreEtcdsMessageCodeAndHttpStatus() throws Exception {
    String noKey =
        "{\"error\":\"etcdserver: key is not provided\","
            + "\"message\":\"etcdserver: key is not provided\",\"code\":3}";
    GatewayCalls.assertReply(400, noKey, GatewayCalls.post(gateway, "/v3/kv/range", "{}"));
    GatewayCalls.assertReply(
        400,
        noKey,
        GatewayCalls.post(gateway, "/v3/kv/range", "")); // an empty body is an empty request
    GatewayCalls.assertReply(
        400,
        "{\"error\":\"etcdserver: mvcc: required revision is a future revision\","
            + "\"message\":\"etcdserver: mvcc: required revision is a future revision\","
            + "\"code\":11}",
        GatewayCalls.post(gateway, "/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":\"100\"}"));
  }

  @Test
  @Order(4)
  void bodiesThatDoNotDecodeAreInvalidArgument() throws Exception {
    GatewayCalls.assertReply(
        400,
        "{\"error\":\"unexpected EOF\",\"message\":\"unexpected EOF\",\"code\":3}",
        GatewayCalls.post(gateway, "/v3/kv/range", "{\"key\":"));
    GatewayCalls.assertReply(
        400,
        "{\"error\":\"json: cannot unmarshal array into Go value of type map[string]json.RawMessage\","
            + "\"message\":\"json: cannot unmarshal array into Go value of type"
            + " map[string]json.RawMessage\",\"code\":3}",
        GatewayCalls.post(gateway, "/v3/kv/range", "[1]"));
    // etcd's texts here are Go's decoder's ("illegal base64 data at input byte 0"); the status
    // and code are the same.
    GatewayReply badBase64 = GatewayCalls.post(gateway, "/v3/kv/range", "{\"key\":\"@@\"}");
    assertEquals(400, badBase64.status());
    assertTrue(badBase64.json().endsWith(",\"code\":3}"), badBase64.json());
  }

  @Test
  @Order(5)
  void deleteRangeWithPrevKvThenNothingLeft() throws Exception {
    GatewayCalls.assertReply(
        200,
        "{\"header\":"
            + header(3)
            + ",\"deleted\":\"1\",\"prev_kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\","
            + "\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"YmFy\"}]}",
        GatewayCalls.post(gateway, "/v3/kv/deleterange", "{\"key\":\"Zm9v\",\"prev_kv\":true}"));
    GatewayCalls.assertReply(
        200,
        "{\"header\":" + header(3) + "}",
        GatewayCalls.post(gateway, "/v3/kv/deleterange", "{\"key\":\"Zm9v\",\"prev_kv\":true}"));
  }

  @Test
  @Order(6)
  void aCompactedRevisionIsOutOfRange() throws Exception {
    GatewayCalls.post(gateway, "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmF6\"}");
    member.server.propose(new CompactionRequest(3, false)).get(10, TimeUnit.SECONDS);
    GatewayCalls.assertReply(
        400,
        "{\"error\":\"etcdserver: mvcc: required revision has been compacted\","
            + "\"message\":\"etcdserver: mvcc: required revision has been compacted\","
            + "\"code\":11}",
        GatewayCalls.post(gateway, "/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":1}"));
  }

  @Test
  @Order(7)
  void statusAndMemberListUseTheirProtoNames() throws Exception {
    GatewayReply status = GatewayCalls.post(gateway, "/v3/maintenance/status", "{}");
    assertEquals(200, status.status());
    assertTrue(
        status
            .json()
            .startsWith("{\"header\":" + header(4) + ",\"version\":\"3.4.23\",\"dbSize\":\""),
        status.json());
    assertTrue(
        status
            .json()
            .contains(
                ",\"leader\":\"" + Long.toUnsignedString(member.memberId) + "\",\"raftIndex\":\""),
        status.json());
    GatewayCalls.assertReply(
        200,
        "{\"header\":"
            + header(4)
            + ",\"members\":[{\"ID\":\""
            + Long.toUnsignedString(member.memberId)
            + "\",\"name\":\"default\",\"peerURLs\":[\"http://localhost:2380\"],"
            + "\"clientURLs\":[\"http://localhost:2379\"]}]}",
        GatewayCalls.post(gateway, "/v3/cluster/member/list", "{}"));
  }

  @Test
  void routesAreEtcdsIncludingItsAliasesAndItsMissingHashKv() {
    assertEquals(
        GatewayRoutes.method("/v3/lease/revoke"), GatewayRoutes.method("/v3/kv/lease/revoke"));
    assertEquals(
        GatewayRoutes.method("/v3/lease/leases"), GatewayRoutes.method("/v3beta/kv/lease/leases"));
    assertEquals(
        "etcdserverpb.Maintenance/Hash",
        GatewayRoutes.method("/v3/maintenance/hash").getFullMethodName());
    assertEquals(
        "etcdserverpb.Maintenance/MoveLeader",
        GatewayRoutes.method("/v3/maintenance/transfer-leadership").getFullMethodName());
    assertEquals(
        "v3electionpb.Election/Observe",
        GatewayRoutes.method("/v3/election/observe").getFullMethodName());
    assertNull(GatewayRoutes.method("/v3/maintenance/hashkv"));
    assertNull(GatewayRoutes.method("/v3/kv/lease/keepalive"));
    assertNull(GatewayRoutes.method("/v3alpha/kv/range"));
    assertNull(GatewayRoutes.method("/v3/kv/range/"));
  }
}
