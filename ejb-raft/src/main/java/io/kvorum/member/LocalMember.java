package io.kvorum.member;

import io.kvorum.config.MemberConfig;
import io.kvorum.config.MemberConfigLoader;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * This member: its configuration, read once at deployment. Where it comes from, first found wins:
 * the system property {@value #MEMBER_SETTINGS} (settings in flag form written by the {@code
 * kvorum} launcher after it validated them), the system property {@value #CONFIG_FILE} (an etcd
 * YAML file, for an EAR on Payara Server), or {@code ETCD_*} environment variables.
 */
@Singleton
@Startup
// The member's own embedded database, in its data-dir (the launcher sets kvorum.data-dir; on Payara
// Server set it as a JVM option). WRITE_DELAY=0: H2's default 500 ms delay lost acknowledged
// commits on kill -9.
@DataSourceDefinition(
    name = "java:app/jdbc/kvorum",
    className = "org.h2.jdbcx.JdbcDataSource",
    url = "jdbc:h2:file:${kvorum.data-dir}/member/db/kvorum" + LocalMember.DATABASE_OPTIONS,
    user = LocalMember.DATABASE_USER,
    password = LocalMember.DATABASE_PASSWORD)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class LocalMember {
  /** The password of the member's embedded database (Defragment opens its own H2 session). */
  public static final String DATABASE_PASSWORD = "kvorum";

  /** The user of the member's embedded database. */
  public static final String DATABASE_USER = "kvorum";

  /** H2's settings for the member's database (docs/raft-log-storage.md: WRITE_DELAY=0). */
  public static final String DATABASE_OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

  /**
   * The JDBC URL of the member's embedded database, as the data source {@code java:app/jdbc/kvorum}
   * names it: the Raft log and the KV store open their own RESOURCE_LOCAL connections to it.
   */
  public static String databaseUrl() {
    return "jdbc:h2:file:"
        + System.getProperty("kvorum.data-dir")
        + "/member/db/kvorum"
        + DATABASE_OPTIONS;
  }

  /** System property: a properties file of flag-form settings handed over by the launcher. */
  public static final String MEMBER_SETTINGS = "kvorum.member.settings";

  /**
   * System property set by the launcher: Payara's HTTP listener port on loopback, behind the
   * client-port front that serves the member's client URLs.
   */
  public static final String INTERNAL_HTTP_PORT = "kvorum.internal-http-port";

  /** System property: an etcd YAML config file. */
  public static final String CONFIG_FILE = "kvorum.config-file";

  private static final Logger LOG = Logger.getLogger(LocalMember.class.getName());

  private volatile MemberConfig config;

  @PostConstruct
  void start() {
    MemberConfig c = load();
    c.ensureDataDir();
    LOG.info(
        () ->
            "kvorum member "
                + c.name()
                + " (etcd API "
                + Versions.etcdServer()
                + "): data-dir "
                + c.dataDir()
                + ", initial-cluster "
                + c.initialCluster());
    List<String> later = c.acceptedNotYetSupported();
    if (!later.isEmpty()) {
      LOG.warning("accepted, not yet supported: " + String.join(", ", later));
    }
    config = c;
  }

  private static MemberConfig load() {
    Path workDir = Path.of("").toAbsolutePath();
    MemberConfigLoader loader = new MemberConfigLoader(workDir);
    String settings = System.getProperty(MEMBER_SETTINGS);
    if (settings != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(Path.of(settings))) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read member settings " + settings, e);
      }
      Map<String, String> flags = new HashMap<>();
      p.stringPropertyNames().forEach(k -> flags.put(k, p.getProperty(k)));
      return loader.loadFlags(flags);
    }
    String file = System.getProperty(CONFIG_FILE);
    if (file != null) {
      return loader.loadFile(workDir.resolve(file));
    }
    MemberConfig c = loader.load(List.of(), System.getenv());
    loader.warnings().forEach(LOG::warning);
    return c;
  }

  /** This member's validated configuration. */
  public MemberConfig config() {
    return config;
  }
}
