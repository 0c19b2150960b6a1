package io.kvorum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * etcd's JSON gateway, {@code /metrics}, {@code /health} and {@code /version} on the client ports
 * of a three-member cluster started with {@code kvorum cluster up}, driven with java.net.http as
 * curl drives etcd. Bodies are asserted as etcd 3.4.23's gateway prints them.
 *
 * <p>The cluster runs with its own port offset and directory, beside other local clusters: clients
 * on 2579, 22579, 32579.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayClusterTest {
  private static final int PORT_OFFSET = 200;
  private static final int[] PORTS = {2379 + PORT_OFFSET, 22379 + PORT_OFFSET, 32379 + PORT_OFFSET};
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Pattern HEADER =
      Pattern.compile(
          "\\{\"header\":\\{\"cluster_id\":\"\\d+\",\"member_id\":\"\\d+\",\"revision\":\"(\\d+)\","
              + "\"raft_term\":\"\\d+\"}");

  private static Map<String, String> env;

  @BeforeAll
  static void clusterUp() throws Exception {
    Path dir = KvorumCli.freshDir("gateway-cluster");
    env =
        Map.of(
            "KVORUM_CLUSTER_DIR",
            dir.toString(),
            "KVORUM_PORT_OFFSET",
            String.valueOf(PORT_OFFSET));
    KvorumCli.Result up = KvorumCli.run(env, "cluster", "up");
    assertEquals(0, up.exit(), up.output());
  }

  @AfterAll
  static void clusterDown() {
    KvorumCli.Result down = KvorumCli.run(env, "cluster", "down");
    assertEquals(0, down.exit(), down.output());
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30));
  }

  private static HttpResponse<String> post(int port, String path, String json) throws Exception {
    return HTTP.send(
        request(port, path).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A successful answer's body after etcd's header; the header's revision is returned in [0]. */
  private static String afterHeader(HttpResponse<String> r, long[] revision) {
    assertEquals(200, r.statusCode(), r.body());
    Matcher m = HEADER.matcher(r.body());
    assertTrue(m.lookingAt(), r.body());
    revision[0] = Long.parseLong(m.group(1));
    return r.body().substring(m.end());
  }

  private static String kv(String key, long create, long mod, long version, String value) {
    return "{\"key\":\""
        + b64(key)
        + "\",\"create_revision\":\""
        + create
        + "\",\"mod_revision\":\""
        + mod
        + "\",\"version\":\""
        + version
        + "\",\"value\":\""
        + b64(value)
        + "\"}";
  }

  @Test
  @Order(1)
  void putRangeDeleteRangeAndTxnOnAnyMember() throws Exception {
    long[] rev = new long[1];
    String put = "{\"key\":\"" + b64("gw/a") + "\",\"value\":\"" + b64("1") + "\"}";
    assertEquals("}", afterHeader(post(PORTS[1], "/v3/kv/put", put), rev));
    long putRev = rev[0];
    String a = kv("gw/a", putRev, putRev, 1, "1");
    assertEquals(
        ",\"kvs\":[" + a + "],\"count\":\"1\"}",
        afterHeader(post(PORTS[2], "/v3/kv/range", "{\"key\":\"" + b64("gw/a") + "\"}"), rev));
    assertEquals(
        ",\"kvs\":[" + a + "],\"count\":\"1\"}",
        afterHeader(
            post(
                PORTS[0],
                "/v3beta/kv/range",
                "{\"key\":\"" + b64("gw/") + "\",\"range_end\":\"" + b64("gw0") + "\"}"),
            rev));
    assertEquals(
        ",\"succeeded\":true,\"responses\":[{\"response_put\":{\"header\":{\"revision\":\""
            + (putRev + 1)
            + "\"}}}]}",
        afterHeader(
            post(
                PORTS[0],
                "/v3/kv/txn",
                "{\"compare\":[{\"key\":\""
                    + b64("gw/a")
                    + "\",\"result\":\"EQUAL\",\"target\":\"VALUE\",\"value\":\""
                    + b64("1")
                    + "\"}],\"success\":[{\"request_put\":{\"key\":\""
                    + b64("gw/b")
                    + "\",\"value\":\""
                    + b64("2")
                    + "\"}}]}"),
            rev));
    assertEquals(
        ",\"deleted\":\"2\",\"prev_kvs\":["
            + a
            + ","
            + kv("gw/b", putRev + 1, putRev + 1, 1, "2")
            + "]}",
        afterHeader(
            post(
                PORTS[2],
                "/v3/kv/deleterange",
                "{\"key\":\""
                    + b64("gw/")
                    + "\",\"range_end\":\""
                    + b64("gw0")
                    + "\",\"prev_kv\":true}"),
            rev));
    assertEquals(putRev + 2, rev[0]);
    assertEquals(
        "}", afterHeader(post(PORTS[1], "/v3/kv/range", "{\"key\":\"" + b64("gw/a") + "\"}"), rev));
  }

  @Test
  @Order(2)
  void leaseGrantTimeToLiveRevoke() throws Exception {
    // TimeToLive asks the member that granted: Kvorum answers it from the local lessor, so another
    // member that has not applied the grant yet answers TTL -1 (etcd forwards it to the leader).
    long[] rev = new long[1];
    assertEquals(
        ",\"ID\":\"4242\",\"TTL\":\"60\"}",
        afterHeader(post(PORTS[1], "/v3/lease/grant", "{\"TTL\":60,\"ID\":4242}"), rev));
    String ttl =
        afterHeader(post(PORTS[1], "/v3/lease/timetolive", "{\"ID\":\"4242\",\"keys\":true}"), rev);
    assertTrue(ttl.matches(",\"ID\":\"4242\",\"TTL\":\"(59|60)\",\"grantedTTL\":\"60\"}"), ttl);
    assertEquals("}", afterHeader(post(PORTS[0], "/v3/kv/lease/revoke", "{\"ID\":4242}"), rev));
    HttpResponse<String> again = post(PORTS[0], "/v3/lease/revoke", "{\"ID\":4242}");
    assertEquals(404, again.statusCode());
    assertEquals(
        "{\"error\":\"etcdserver: requested lease not found\","
            + "\"message\":\"etcdserver: requested lease not found\",\"code\":5}",
        again.body());
  }

  @Test
  @Order(3)
  void watchResultsArriveAsWritesHappen() throws Exception {
    String key = b64("gw/watched");
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    CompletableFuture<HttpResponse<Stream<String>>> watch =
        HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORTS[2] + "/v3/watch"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"create_request\":{\"key\":\"" + key + "\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> response = watch.get(30, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    Thread reader =
        new Thread(
            () -> {
              try {
                response.body().forEach(lines::add);
              } catch (java.io.UncheckedIOException closedByTheTest) {
                // the stream is closed in the finally block below
              }
            },
            "gateway-watch-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      String created = lines.poll(30, TimeUnit.SECONDS);
      assertTrue(
          created != null
              && created.matches("\\{\"result\":\\{\"header\":\\{.*\\},\"created\":true}}"),
          created);
      for (String value : List.of("x", "y")) {
        long[] rev = new long[1];
        afterHeader(
            post(
                PORTS[0],
                "/v3/kv/put",
                "{\"key\":\"" + key + "\",\"value\":\"" + b64(value) + "\"}"),
            rev);
        String event = lines.poll(30, TimeUnit.SECONDS);
        assertTrue(event != null, "an event for the put of " + value + " while the stream is open");
        long version = value.equals("x") ? 1 : 2;
        long create = rev[0] - version + 1;
        assertTrue(
            event.endsWith(
                "\"events\":[{\"kv\":" + kv("gw/watched", create, rev[0], version, value) + "}]}}"),
            event);
      }
    } finally {
      response.body().close();
    }
  }

  @Test
  @Order(4)
  void compactionThenARangeAtACompactedRevisionIsEtcds400() throws Exception {
    long[] rev = new long[1];
    afterHeader(post(PORTS[0], "/v3/kv/put", "{\"key\":\"" + b64("gw/c") + "\"}"), rev);
    assertEquals(
        "}",
        afterHeader(post(PORTS[1], "/v3/kv/compaction", "{\"revision\":\"" + rev[0] + "\"}"), rev));
    HttpResponse<String> r =
        post(PORTS[2], "/v3/kv/range", "{\"key\":\"" + b64("gw/c") + "\",\"revision\":1}");
    assertEquals(400, r.statusCode());
    assertEquals(
        "{\"error\":\"etcdserver: mvcc: required revision has been compacted\","
            + "\"message\":\"etcdserver: mvcc: required revision has been compacted\",\"code\":11}",
        r.body());
  }

  @Test
  @Order(5)
  void memberListAndStatus() throws Exception {
    long[] rev = new long[1];
    HttpResponse<String> list = post(PORTS[0], "/v3/cluster/member/list", "{}");
    assertEquals(200, list.statusCode(), list.body());
    for (int i = 1; i <= 3; i++) {
      assertTrue(
          list.body().contains("\"name\":\"infra" + i + "\",\"peerURLs\":[\"http://127.0.0.1:"),
          list.body());
    }
    String status = afterHeader(post(PORTS[1], "/v3/maintenance/status", "{}"), rev);
    assertTrue(
        status.matches(
            ",\"version\":\"3.4.23\",\"dbSize\":\"\\d+\",\"leader\":\"\\d+\",\"raftIndex\":\"\\d+\","
                + "\"raftTerm\":\"\\d+\",\"raftAppliedIndex\":\"\\d+\",\"dbSizeInUse\":\"\\d+\"}"),
        status);
  }

  @Test
  @Order(6)
  void errorsAsEtcdAnswersThem() throws Exception {
    HttpResponse<String> noKey = post(PORTS[0], "/v3/kv/range", "{}");
    assertEquals(400, noKey.statusCode());
    assertEquals(
        "{\"error\":\"etcdserver: key is not provided\","
            + "\"message\":\"etcdserver: key is not provided\",\"code\":3}",
        noKey.body());
    HttpResponse<String> truncated = post(PORTS[0], "/v3/kv/range", "{\"key\":");
    assertEquals(400, truncated.statusCode());
    assertEquals(
        "{\"error\":\"unexpected EOF\",\"message\":\"unexpected EOF\",\"code\":3}",
        truncated.body());
    HttpResponse<String> unknown = post(PORTS[0], "/v3/kv/nope", "{}");
    assertEquals(404, unknown.statusCode());
    assertEquals("Not Found\n", unknown.body());
    HttpResponse<String> get =
        HTTP.send(
            request(PORTS[0], "/v3/kv/range").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertEquals("Method Not Allowed\n", get.body());
  }

  @Test
  @Order(7)
  void metricsHealthAndVersion() throws Exception {
    for (int port : PORTS) {
      HttpResponse<String> m =
          HTTP.send(request(port, "/metrics").GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, m.statusCode(), "Kvorum's /metrics, not Payara's: " + m.body());
      assertTrue(
          m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
          m.headers().toString());
      List<String> lines = m.body().lines().toList();
      assertTrue(lines.contains("etcd_server_has_leader 1"), m.body());
      for (String name :
          List.of(
              "etcd_server_leader_changes_seen_total",
              "etcd_server_proposals_committed_total",
              "etcd_server_proposals_applied_total",
              "etcd_server_proposals_pending",
              "etcd_server_proposals_failed_total",
              "etcd_mvcc_db_total_size_in_bytes",
              "etcd_disk_wal_fsync_duration_seconds_count",
              "etcd_server_is_leader")) {
        assertTrue(
            lines.stream().anyMatch(l -> l.startsWith(name + " ")), name + " in " + m.body());
      }
      assertEquals("{\"health\":\"true\"}", KvorumCli.get(port, "/health").body());
      assertEquals(
          "{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}",
          KvorumCli.get(port, "/version").body());
    }
  }
}
