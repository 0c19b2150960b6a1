package io.kvorum.api.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real etcdctl 3.4.23 binary against the front, with in-test services behind it ({@link
 * FakeMember}), and curl's protocol (HTTP/1.1) on the very same port.
 *
 * <p>etcdctl speaks only gRPC, h2c with prior knowledge; this is the client the one-port design
 * exists for. Needs {@code etcdctl} (Debian package etcd-client) at {@code -Dkvorum.etcdctl} or
 * {@code /usr/bin/etcdctl}.
 */
class EtcdctlAgainstFrontTest {

  private static final Path ETCDCTL =
      Path.of(System.getProperty("kvorum.etcdctl", "/usr/bin/etcdctl"));

  private final FakeMember member = new FakeMember();
  private EchoHttpBackend http;
  private ClientPortFront front;
  private String endpoint;

  @BeforeAll
  static void needsEtcdctl() {
    assumeTrue(Files.isExecutable(ETCDCTL), "etcdctl 3.4 is not installed at " + ETCDCTL);
  }

  @BeforeEach
  void start() throws IOException {
    http = new EchoHttpBackend();
    front =
        ClientPortFront.start(
            ClientPortOptions.of(
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                http.address()),
            member.services());
    endpoint = "127.0.0.1:" + front.boundAddresses().get(0).getPort();
  }

  @AfterEach
  void stop() {
    front.close();
    http.close();
  }

  @Test
  void endpointStatusAsJsonShowsWhatMaintenanceStatusReturned() throws Exception {
    Result result = etcdctl("--endpoints=" + endpoint, "-w", "json", "endpoint", "status");

    assertEquals(0, result.exitCode, result.stderr);
    JsonArray endpoints = JsonParser.parseString(result.stdout).getAsJsonArray();
    assertEquals(1, endpoints.size(), result.stdout);
    JsonObject entry = endpoints.get(0).getAsJsonObject();
    assertEquals(endpoint, entry.get("Endpoint").getAsString());
    JsonObject status = entry.getAsJsonObject("Status");
    JsonObject header = status.getAsJsonObject("header");
    // etcdctl prints uint64 as unsigned decimals: both IDs have the top bit set on purpose.
    assertEquals(
        Long.toUnsignedString(FakeMember.CLUSTER_ID), header.get("cluster_id").getAsString());
    assertEquals(
        Long.toUnsignedString(FakeMember.MEMBER_ID), header.get("member_id").getAsString());
    assertEquals(FakeMember.REVISION, header.get("revision").getAsLong());
    assertEquals(FakeMember.RAFT_TERM, header.get("raft_term").getAsLong());
    assertEquals(FakeMember.VERSION, status.get("version").getAsString());
    assertEquals(FakeMember.DB_SIZE, status.get("dbSize").getAsLong());
    assertEquals(FakeMember.DB_SIZE_IN_USE, status.get("dbSizeInUse").getAsLong());
    assertEquals(Long.toUnsignedString(FakeMember.MEMBER_ID), status.get("leader").getAsString());
    assertEquals(FakeMember.RAFT_INDEX, status.get("raftIndex").getAsLong());
    assertEquals(FakeMember.RAFT_TERM, status.get("raftTerm").getAsLong());
    assertEquals(FakeMember.RAFT_APPLIED_INDEX, status.get("raftAppliedIndex").getAsLong());
    assertFalse(status.has("isLearner"), "false is omitted, as etcd omits it");
    assertEquals(1, member.statusCalls.get());
  }

  @Test
  void endpointStatusTableShowsTheMemberIdInHexAndLeadership() throws Exception {
    Result result = etcdctl("--endpoints=" + endpoint, "-w", "simple", "endpoint", "status");

    assertEquals(0, result.exitCode, result.stderr);
    // ENDPOINT, ID, VERSION, DB SIZE, IS LEADER, IS LEARNER, RAFT TERM, RAFT INDEX, APPLIED, ERRORS
    String expected =
        endpoint
            + ", "
            + Long.toHexString(FakeMember.MEMBER_ID)
            + ", 3.4.23, 25 kB, true, false, 4, 42, 41, ";
    assertEquals(expected.strip(), result.stdout.strip());
  }

  @Test
  void endpointHealthReadsKeyHealthOverGrpc() throws Exception {
    Result result = etcdctl("--endpoints=" + endpoint, "endpoint", "health");

    assertEquals(0, result.exitCode, result.stderr);
    assertTrue(
        result.stderr.contains(endpoint + " is healthy: successfully committed proposal"),
        result.stderr);
    assertEquals(1, member.rangeCalls.get());
  }

  @Test
  void etcdctlAndHttpOneOneShareThePort() throws Exception {
    Result get = etcdctl("--endpoints=" + endpoint, "get", "big200", "--keys-only");
    HttpResponse<String> health =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + endpoint + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertEquals(0, get.exitCode, get.stderr);
    // 200 keys of 1 KiB: a ~210 KiB response, past HTTP/2's initial flow-control window.
    assertEquals(200, get.stdout.lines().filter(l -> l.startsWith("big/")).count());
    assertEquals(200, health.statusCode());
    assertEquals(EchoHttpBackend.HEALTH, health.body());
  }

  @Test
  void grpcErrorsReachEtcdctlWithEtcdsMessage() throws Exception {
    Result result = etcdctl("--endpoints=" + endpoint, "get", "compacted");

    assertEquals(1, result.exitCode);
    assertTrue(
        result.stderr.contains("Error: etcdserver: mvcc: required revision has been compacted"),
        result.stderr);
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result etcdctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ETCDCTL.toString());
    command.add("--command-timeout=20s");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("ETCDCTL_API", "3");
    Path err = Files.createTempFile("etcdctl", ".err");
    builder.redirectError(err.toFile());
    Process process = builder.start();
    try {
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("etcdctl did not exit: " + command);
      }
      return new Result(process.exitValue(), stdout, Files.readString(err));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(err);
    }
  }
}
