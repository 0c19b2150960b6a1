package io.kvorum.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberConfigTest {
  @TempDir Path dir;

  private MemberConfig file(String yaml) throws IOException {
    Path f = dir.resolve("etcd.yml");
    Files.writeString(f, yaml);
    return new MemberConfigLoader(dir).loadFile(f);
  }

  private ConfigException fileError(String yaml) {
    return assertThrows(ConfigException.class, () -> file(yaml));
  }

  private MemberConfig flags(String... args) {
    return new MemberConfigLoader(dir).load(List.of(args), Map.of());
  }

  @Test
  void defaultsAreEtcds() {
    MemberConfig c = flags();
    assertEquals("default", c.name());
    assertEquals(dir.resolve("default.etcd"), c.dataDir());
    assertEquals(100, c.number(ConfigKey.HEARTBEAT_INTERVAL));
    assertEquals(1000, c.number(ConfigKey.ELECTION_TIMEOUT));
    assertEquals(100_000, c.number(ConfigKey.SNAPSHOT_COUNT));
    assertEquals(128, c.number(ConfigKey.MAX_TXN_OPS));
    assertEquals(1_572_864, c.number(ConfigKey.MAX_REQUEST_BYTES));
    assertEquals(5_000, c.number(ConfigKey.GRPC_KEEPALIVE_MIN_TIME));
    assertEquals(7_200_000, c.number(ConfigKey.GRPC_KEEPALIVE_INTERVAL));
    assertEquals("new", c.string(ConfigKey.INITIAL_CLUSTER_STATE));
    assertEquals("etcd-cluster", c.string(ConfigKey.INITIAL_CLUSTER_TOKEN));
    assertEquals(
        List.of(URI.create("http://localhost:2379")), c.urls(ConfigKey.LISTEN_CLIENT_URLS));
    assertEquals("default=http://localhost:2380", c.initialCluster().toString());
    assertEquals(List.of(), c.acceptedNotYetSupported());
  }

  @Test
  void seedMemberConfigParses() throws IOException {
    Path seed = Path.of("src/test/resources/config/seed-node1.yml");
    MemberConfig c = new MemberConfigLoader(dir).loadFile(seed);
    assertEquals("node1", c.name());
    assertEquals(Path.of("/var/etcd"), c.dataDir());
    assertEquals(
        List.of("node1", "node2", "node3"), List.copyOf(c.initialCluster().members().keySet()));
    assertEquals(
        List.of(URI.create("http://etcd-node2:2380")), c.initialCluster().peerUrls("node2"));
    assertEquals(List.of(URI.create("http://0.0.0.0:2379")), c.urls(ConfigKey.LISTEN_CLIENT_URLS));
    assertEquals("zap", c.string(ConfigKey.LOGGER));
    assertEquals(List.of("logger"), c.acceptedNotYetSupported());
  }

  @Test
  void seedFullConfFileParsesAndNamesWhatIsNotYetSupported() {
    Path seed = Path.of("src/test/resources/config/seed-conf.yml");
    MemberConfig c = new MemberConfigLoader(dir).loadFile(seed);
    assertEquals("default", c.name());
    assertEquals(10_000, c.number(ConfigKey.SNAPSHOT_COUNT));
    assertEquals(List.of("stderr"), c.value(ConfigKey.LOG_OUTPUTS));
    assertEquals("1", c.string(ConfigKey.AUTO_COMPACTION_RETENTION));
    assertFalse(c.flag(ConfigKey.CLIENT_CERT_AUTH));
    List<String> later = c.acceptedNotYetSupported();
    assertTrue(later.containsAll(List.of("enable-v2", "enable-pprof")), "" + later);
    assertFalse(later.contains("proxy"), "proxy: 'off' is the default: " + later);
    assertFalse(later.contains("snapshot-count"), "snapshots are taken: " + later);
    assertFalse(later.contains("name"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "heartbeat-interval: banana|heartbeat-interval|banana",
        "election-timeout: -5|election-timeout|-5",
        "snapshot-count: 1.5|snapshot-count|1.5",
        "enable-v2: maybe|enable-v2|maybe",
        "snapshot-count: [1, 2]|snapshot-count|[1, 2]",
        "initial-cluster-state: fresh|initial-cluster-state|fresh",
        "auto-compaction-mode: daily|auto-compaction-mode|daily",
        "grpc-keepalive-timeout: 20 seconds|grpc-keepalive-timeout|20 seconds",
        "log-level: loud|log-level|loud",
        "bcrypt-cost: 3|bcrypt-cost|3",
        "quota-backend-bytes: lots|quota-backend-bytes|lots",
      })
  void wrongTypeNamesKeyAndValue(String yaml, String key, String value) {
    ConfigException e = fileError(yaml);
    assertEquals(key, e.key());
    assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void unknownKeyInFileIsRefused() {
    ConfigException e = fileError("name: a\nheartbeat-intervall: 100\n");
    assertEquals("heartbeat-intervall", e.key());
    assertTrue(e.getMessage().contains("unknown key \"heartbeat-intervall\""), e.getMessage());
    ConfigException nested = fileError("client-transport-security:\n  cert: x\n");
    assertEquals("client-transport-security.cert", nested.key());
  }

  @Test
  void unknownFlagIsRefusedLikeGoFlags() {
    ConfigException e = assertThrows(ConfigException.class, () -> flags("--nmae", "x"));
    assertEquals("flag provided but not defined: -nmae", e.getMessage());
    ConfigException stray = assertThrows(ConfigException.class, () -> flags("node1"));
    assertEquals("'node1' is not a valid flag", stray.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://127.0.0.1:2379|URL scheme must be http or https",
        "http://127.0.0.1|URL address does not have the form host:port",
        "http://127.0.0.1:2379/v3|URL must not contain a path",
        "http://etcd-node1:2379|not the host name etcd-node1",
        "http://[::1:2379|a URL like",
      })
  void badListenUrlIsRefused(String url, String why) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> flags("--listen-client-urls", url, "--advertise-client-urls", "http://a:1"));
    assertEquals("listen-client-urls", e.key());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertTrue(e.getMessage().contains(url), e.getMessage());
  }

  @Test
  void electionTimeoutMustBeFiveHeartbeats() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> flags("--heartbeat-interval", "100", "--election-timeout", "400"));
    assertEquals("election-timeout", e.key());
    assertTrue(e.getMessage().contains("\"400\""), e.getMessage());
    assertEquals(
        500,
        flags("--heartbeat-interval=100", "--election-timeout=500")
            .number(ConfigKey.ELECTION_TIMEOUT));
    ConfigException tooLong =
        assertThrows(ConfigException.class, () -> flags("--election-timeout", "60000"));
    assertEquals("election-timeout", tooLong.key());
  }

  @Test
  void nameMustBeInInitialCluster() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                flags(
                    "--name", "node4",
                    "--initial-cluster",
                        "node1=http://127.0.0.1:2380,node2=http://127.0.0.1:22380"));
    assertEquals("initial-cluster", e.key());
    assertTrue(e.getMessage().contains("couldn't find local name \"node4\""), e.getMessage());
  }

  @Test
  void advertisedPeerUrlsMustMatchInitialCluster() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                flags(
                    "--name", "n1",
                    "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                    "--initial-cluster", "n1=http://127.0.0.1:12380"));
    assertEquals("initial-advertise-peer-urls", e.key());
  }

  @Test
  void malformedInitialClusterIsRefused() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> flags("--initial-cluster", "node1"));
    assertEquals("initial-cluster", e.key());
  }

  @Test
  void duplicatePeerUrlsAreRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                flags(
                    "--name", "a",
                    "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                    "--initial-cluster", "a=http://127.0.0.1:2380,b=http://127.0.0.1:2380"));
    assertEquals("initial-cluster", e.key());
    assertTrue(e.getMessage().contains("duplicate peer URL http://127.0.0.1:2380"), e.getMessage());
  }

  @Test
  void advertiseIsRequiredWhenListenIsExplicit() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> flags("--listen-client-urls", "http://127.0.0.1:2379"));
    assertEquals("advertise-client-urls", e.key());
  }

  @Test
  void dataDirThatCannotBeCreatedIsRefused() throws IOException {
    Path blocker = dir.resolve("a-file");
    Files.writeString(blocker, "x");
    MemberConfig c = flags("--data-dir", blocker.resolve("sub").toString());
    ConfigException e = assertThrows(ConfigException.class, c::ensureDataDir);
    assertEquals("data-dir", e.key());
    assertTrue(e.getMessage().contains(blocker.resolve("sub").toString()), e.getMessage());
    Path ok = flags("--data-dir", "m1.etcd").ensureDataDir();
    assertTrue(Files.isDirectory(ok));
  }

  @Test
  void flagSyntaxesAndEnvironmentPrecedence() {
    MemberConfigLoader loader = new MemberConfigLoader(dir);
    MemberConfig c =
        loader.load(
            List.of("-name=a", "--pre-vote", "--snapshot-count", "7"),
            Map.of(
                "ETCD_NAME",
                "from-env",
                "ETCD_MAX_TXN_OPS",
                "64",
                "ETCD_NOPE",
                "1",
                "PATH",
                "/bin"));
    assertEquals("a", c.name());
    assertTrue(c.flag(ConfigKey.PRE_VOTE));
    assertEquals(7, c.number(ConfigKey.SNAPSHOT_COUNT));
    assertEquals(64, c.number(ConfigKey.MAX_TXN_OPS));
    assertTrue(loader.warnings().stream().anyMatch(w -> w.contains("ETCD_NOPE")));
    assertTrue(
        loader.warnings().stream()
            .anyMatch(w -> w.contains("ignoring environment variable ETCD_NAME")));
  }

  @Test
  void configFileWinsOverFlagsAndEnvironment() throws IOException {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, "name: from-file\nheartbeat-interval: 50\nelection-timeout: 500\n");
    MemberConfigLoader loader = new MemberConfigLoader(dir);
    MemberConfig c =
        loader.load(
            List.of("--config-file", f.toString(), "--name", "flag"), Map.of("ETCD_NAME", "env"));
    assertEquals("from-file", c.name());
    assertEquals(50, c.number(ConfigKey.HEARTBEAT_INTERVAL));
    MemberConfig viaEnv =
        new MemberConfigLoader(dir).load(List.of(), Map.of("ETCD_CONFIG_FILE", f.toString()));
    assertEquals("from-file", viaEnv.name());
  }

  @Test
  void badYamlAndDuplicateKeysAreRefused() {
    assertEquals("config-file", fileError("name: [unclosed\n").key());
    assertEquals("config-file", fileError("name: a\nname: b\n").key());
    assertEquals("config-file", fileError("- just\n- a list\n").key());
  }

  @Test
  void compactionRetentionFollowsMode() {
    assertEquals("5m", assertDoesNotThrow("auto-compaction-retention: 5m\n"));
    assertEquals("1", assertDoesNotThrow("auto-compaction-retention: 1\n"));
    ConfigException e =
        fileError("auto-compaction-mode: revision\nauto-compaction-retention: 5m\n");
    assertEquals("auto-compaction-retention", e.key());
  }

  private String assertDoesNotThrow(String yaml) {
    try {
      return file(yaml).string(ConfigKey.AUTO_COMPACTION_RETENTION);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void flagFormRoundTripsThroughLoadFlags() throws IOException {
    MemberConfig c = file("name: n1\nlog-outputs: [stderr, stdout]\nsnapshot-count: 5\n");
    MemberConfig again = new MemberConfigLoader(Path.of("/")).loadFlags(c.toFlags());
    assertEquals(c.name(), again.name());
    assertEquals(c.dataDir(), again.dataDir());
    assertEquals(List.of("stderr", "stdout"), again.value(ConfigKey.LOG_OUTPUTS));
    assertEquals(5, again.number(ConfigKey.SNAPSHOT_COUNT));
  }

  @Test
  void everyKeyHasAnEtcdEnvironmentName() {
    assertEquals(ConfigKey.INITIAL_CLUSTER, ConfigKey.byEnv("ETCD_INITIAL_CLUSTER"));
    assertEquals("ETCD_HEARTBEAT_INTERVAL", ConfigKey.HEARTBEAT_INTERVAL.envName());
    assertEquals("cert-file", ConfigKey.PEER_CERT_FILE.fileKey());
  }
}
