package io.kvorum.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kvorum.kv.core.AlarmRequest;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.MemoryKvBackend;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.PutRequest;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real etcdctl 3.4.23 against a single member's Maintenance service: {@code endpoint hashkv},
 * {@code endpoint status}, {@code alarm list/disarm}, {@code defrag} on a real H2 file and {@code
 * snapshot save}. Needs {@code etcdctl} at {@code -Dkvorum.etcdctl} or {@code /usr/bin/etcdctl}
 * (Debian package etcd-client); skipped with a message otherwise.
 */
class MaintenanceEtcdctlTest {
  private static final Path ETCDCTL =
      Path.of(System.getProperty("kvorum.etcdctl", "/usr/bin/etcdctl"));

  @TempDir Path dir;
  private JdbcDataSource h2;
  private Path h2File;

  /** The member's pool keeps connections open, so H2 never closes (and compacts) the file. */
  private Connection pooled;

  private OneMember m;

  @BeforeAll
  static void needsEtcdctl() {
    assumeTrue(Files.isExecutable(ETCDCTL), "etcdctl 3.4 is not installed at " + ETCDCTL);
  }

  @BeforeEach
  void start() throws Exception {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:file:" + dir.resolve("kvorum") + ";WRITE_DELAY=0");
    h2File = dir.resolve("kvorum.mv.db");
    pooled = h2.getConnection();
    m = new OneMember(new DatabaseFile(h2File, pooledLike(h2), ""));
  }

  @AfterEach
  void stop() throws Exception {
    m.close();
    pooled.close();
  }

  /**
   * The data source as Payara's pool hands it out: connections behind a proxy that cannot be
   * unwrapped to H2's connection class.
   */
  private static DataSource pooledLike(DataSource real) {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object r = invoke(real, method, args);
              if (!(r instanceof Connection c)) {
                return r;
              }
              return Proxy.newProxyInstance(
                  Connection.class.getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (p, m, a) -> {
                    if (m.getName().equals("unwrap") || m.getName().equals("isWrapperFor")) {
                      throw new SQLException("the pool's wrapper does not unwrap");
                    }
                    return invoke(c, m, a);
                  });
            });
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result etcdctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ETCDCTL.toString(), "--command-timeout=20s"));
    command.add("--endpoints=" + m.endpoint);
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command);
    b.environment().put("ETCDCTL_API", "3");
    Path err = dir.resolve("etcdctl.err");
    b.redirectError(err.toFile());
    Process p = b.start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("etcdctl did not exit: " + command);
      }
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      p.destroyForcibly();
    }
  }

  private JsonObject status() throws Exception {
    Result r = etcdctl("-w", "json", "endpoint", "status");
    assertEquals(0, r.exitCode, r.stderr);
    return JsonParser.parseString(r.stdout)
        .getAsJsonArray()
        .get(0)
        .getAsJsonObject()
        .getAsJsonObject("Status");
  }

  @Test
  void defragCompactsTheH2FileAndPrintsEtcdsLine() throws Exception {
    try (Connection c = h2.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table filler(id bigint primary key, v varbinary(4000))");
      try (PreparedStatement p = c.prepareStatement("insert into filler values(?, ?)")) {
        for (int i = 0; i < 5000; i++) {
          p.setLong(1, i);
          p.setBytes(2, new byte[4000]);
          p.executeUpdate();
        }
      }
      s.execute("delete from filler");
    }
    long before = status().get("dbSize").getAsLong();
    assertEquals(Files.size(h2File), before);
    assertTrue(before > 10_000_000, "20 MB written, then deleted: " + before);

    Result r = etcdctl("defrag");
    assertEquals(0, r.exitCode, r.stderr);
    assertEquals("Finished defragmenting etcd member[" + m.endpoint + "]\n", r.stdout, r.stderr);

    long after = status().get("dbSize").getAsLong();
    assertTrue(after < before / 4, "dbSize " + before + " -> " + after);
    try (Connection c = h2.getConnection();
        Statement s = c.createStatement()) {
      s.execute("insert into filler values(1, x'00')"); // the file still works
    }
  }

  @Test
  void hashkvAndStatusAsEtcdctlPrintsThem() throws Exception {
    m.propose(PutRequest.of("a", "1"));
    m.propose(PutRequest.of("b", "2"));
    Result r = etcdctl("-w", "json", "endpoint", "hashkv");
    assertEquals(0, r.exitCode, r.stderr);
    JsonObject h =
        JsonParser.parseString(r.stdout)
            .getAsJsonArray()
            .get(0)
            .getAsJsonObject()
            .getAsJsonObject("HashKV");
    assertEquals(m.server.store().hashKv(0).hash(), h.get("hash").getAsLong());
    assertEquals(-1, h.get("compact_revision").getAsLong());
    assertEquals(
        m.server.store().currentRevision(),
        h.getAsJsonObject("header").get("revision").getAsLong());

    Result future = etcdctl("endpoint", "hashkv", "--rev", "1000");
    assertEquals(1, future.exitCode);
    assertTrue(
        future.stderr.contains(
            "Failed to get the hash of endpoint "
                + m.endpoint
                + " (etcdserver: mvcc: required revision is a future revision)"),
        future.stderr);

    JsonObject s = status();
    assertEquals("3.4.23", s.get("version").getAsString());
    assertEquals(Long.toUnsignedString(OneMember.MEMBER_ID), s.get("leader").getAsString());
    assertEquals(m.server.store().dbSize(), s.get("dbSizeInUse").getAsLong());
    assertTrue(!s.has("errors"), s.toString());
  }

  @Test
  void alarmListShowsAndDisarmClearsWhatStatusReports() throws Exception {
    Result empty = etcdctl("alarm", "list");
    assertEquals(0, empty.exitCode, empty.stderr);
    assertEquals("", empty.stdout);

    m.propose(
        new AlarmRequest(AlarmRequest.AlarmAction.ACTIVATE, 7, AlarmRequest.AlarmType.NOSPACE));
    assertEquals("memberID:7 alarm:NOSPACE \n", etcdctl("alarm", "list").stdout);
    assertEquals("[\"memberID:7 alarm:NOSPACE \"]", status().getAsJsonArray("errors").toString());

    Result disarm = etcdctl("alarm", "disarm");
    assertEquals(0, disarm.exitCode, disarm.stderr);
    assertEquals("memberID:7 alarm:NOSPACE \n", disarm.stdout);
    assertEquals("", etcdctl("alarm", "list").stdout);
  }

  @Test
  void snapshotSaveWritesKvorumsSnapshot() throws Exception {
    for (int i = 0; i < 100; i++) {
      m.propose(PutRequest.of("k" + i, "v".repeat(800)));
    }
    Path file = dir.resolve("snap.db");
    Result r = etcdctl("snapshot", "save", file.toString());
    assertEquals(0, r.exitCode, r.stderr);
    assertEquals("Snapshot saved at " + file + "\n", r.stdout);
    byte[] bytes = Files.readAllBytes(file);
    MvccStore restored =
        MvccStore.restore(new MemoryKvBackend(), KvConfig.defaults(), List.of(bytes));
    assertEquals(m.server.store().hash(), restored.hash());

    // a Kvorum snapshot is no bbolt file: etcdctl's offline commands cannot read it
    Result status = etcdctl("snapshot", "status", file.toString());
    assertEquals(1, status.exitCode);
    assertEquals("Error: invalid database\n", status.stderr);
    Result restore =
        etcdctl("snapshot", "restore", file.toString(), "--data-dir", dir.resolve("r").toString());
    // its SHA-256 check passes (no "expected sha256" / "missing hash"), then bbolt refuses the file
    assertTrue(restore.exitCode != 0);
    assertTrue(restore.stderr.contains("cannot open database"), restore.stderr);
    assertTrue(
        !restore.stderr.contains("sha256") && !restore.stderr.contains("missing hash"),
        restore.stderr);
  }
}
