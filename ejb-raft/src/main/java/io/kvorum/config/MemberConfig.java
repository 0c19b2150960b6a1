package io.kvorum.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One member's validated, immutable configuration: every etcd 3.4 key with its effective value.
 * Build it with {@link MemberConfigLoader}; construction fails with a {@link ConfigException} that
 * names the key and the bad value, before the member binds any port.
 */
public final class MemberConfig {
  /** The longest election timeout etcd accepts, in milliseconds. */
  static final long MAX_ELECTION_TIMEOUT_MS = 50_000;

  private final Map<ConfigKey, Object> values;

  /** The keys the user set (config file, flags or environment), with the value as given. */
  private final Map<ConfigKey, String> explicit;

  private final InitialCluster initialCluster;
  private final Path dataDir;

  MemberConfig(Map<ConfigKey, Object> parsed, Map<ConfigKey, String> explicit, Path workDir) {
    EnumMap<ConfigKey, Object> v = new EnumMap<>(ConfigKey.class);
    for (ConfigKey k : ConfigKey.values()) {
      Object given = parsed.get(k);
      Object value = given != null ? given : k.parsedDefault();
      if (value != null) {
        v.put(k, value);
      }
    }
    this.values = Collections.unmodifiableMap(v);
    this.explicit = Collections.unmodifiableMap(new EnumMap<>(explicit));
    checkTiming();
    checkCompaction();
    checkRange(ConfigKey.BCRYPT_COST, 4, 31);
    checkListenUrls(ConfigKey.LISTEN_CLIENT_URLS);
    checkListenUrls(ConfigKey.LISTEN_PEER_URLS);
    requireAdvertise(ConfigKey.LISTEN_CLIENT_URLS, ConfigKey.ADVERTISE_CLIENT_URLS);
    requireAdvertise(ConfigKey.LISTEN_PEER_URLS, ConfigKey.INITIAL_ADVERTISE_PEER_URLS);
    this.initialCluster = resolveInitialCluster();
    String dir = string(ConfigKey.DATA_DIR);
    this.dataDir =
        workDir.resolve(dir.isEmpty() ? name() + ".etcd" : dir).toAbsolutePath().normalize();
  }

  private void checkTiming() {
    long heartbeat = number(ConfigKey.HEARTBEAT_INTERVAL);
    long election = number(ConfigKey.ELECTION_TIMEOUT);
    if (heartbeat < 1) {
      throw ConfigException.invalid("heartbeat-interval", heartbeat, "at least 1 millisecond");
    }
    if (election < 5 * heartbeat) {
      throw new ConfigException(
          "election-timeout",
          "election-timeout: invalid value \""
              + election
              + "\" (must be at least 5 times heartbeat-interval "
              + heartbeat
              + " = "
              + 5 * heartbeat
              + " ms)");
    }
    if (election > MAX_ELECTION_TIMEOUT_MS) {
      throw ConfigException.invalid(
          "election-timeout", election, "less than " + MAX_ELECTION_TIMEOUT_MS + " ms");
    }
  }

  private void checkCompaction() {
    String retention = string(ConfigKey.AUTO_COMPACTION_RETENTION);
    if (string(ConfigKey.AUTO_COMPACTION_MODE).equals("revision")) {
      if (!retention.matches("\\d+")) {
        throw ConfigException.invalid(
            "auto-compaction-retention", retention, "a number of revisions in revision mode");
      }
    } else if (!retention.matches("\\d+") && GoDuration.toMillis(retention) == null) {
      throw ConfigException.invalid(
          "auto-compaction-retention", retention, "hours (a number) or a duration like 30m");
    }
  }

  private void checkRange(ConfigKey key, long min, long max) {
    long v = number(key);
    if (v < min || v > max) {
      throw ConfigException.invalid(key.flag(), v, "a number from " + min + " to " + max);
    }
  }

  /** etcd binds listen URLs directly: their host must be an IP address or localhost. */
  private void checkListenUrls(ConfigKey key) {
    for (URI u : urls(key)) {
      String host = u.getHost();
      if (!host.equals("localhost") && !isIpLiteral(host)) {
        throw ConfigException.invalid(
            key.flag(), u, "an IP address or localhost to bind, not the host name " + host);
      }
    }
  }

  private static boolean isIpLiteral(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      InetAddress.getByName(h); // a literal never resolves through DNS
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void requireAdvertise(ConfigKey listen, ConfigKey advertise) {
    if (explicit.containsKey(listen) && !explicit.containsKey(advertise)) {
      throw new ConfigException(
          advertise.flag(),
          advertise.flag()
              + " is required when "
              + listen.flag()
              + " is set explicitly (it is \""
              + explicit.get(listen)
              + "\")");
    }
  }

  private InitialCluster resolveInitialCluster() {
    String name = name();
    List<URI> advertised = urls(ConfigKey.INITIAL_ADVERTISE_PEER_URLS);
    String given = string(ConfigKey.INITIAL_CLUSTER);
    InitialCluster cluster;
    if (given.isEmpty()) {
      // etcd's default: this member alone, at its advertised peer URLs.
      StringBuilder sb = new StringBuilder();
      for (URI u : advertised) {
        sb.append(sb.length() == 0 ? "" : ",").append(name).append('=').append(u);
      }
      cluster = InitialCluster.parse(sb.toString());
    } else {
      cluster = InitialCluster.parse(given);
    }
    List<URI> mine = cluster.peerUrls(name);
    if (mine.isEmpty()) {
      throw new ConfigException(
          "initial-cluster",
          "initial-cluster: invalid value \""
              + given
              + "\" (couldn't find local name \""
              + name
              + "\" in the initial cluster configuration)");
    }
    if (!new HashSet<>(normalize(mine)).equals(new HashSet<>(normalize(advertised)))) {
      throw new ConfigException(
          "initial-advertise-peer-urls",
          "initial-advertise-peer-urls: invalid value \""
              + joined(advertised)
              + "\" (initial-cluster has "
              + name
              + "="
              + joined(mine)
              + " but it is missing from initial-advertise-peer-urls)");
    }
    return cluster;
  }

  private static List<String> normalize(List<URI> urls) {
    List<String> out = new ArrayList<>();
    for (URI u : urls) {
      out.add(u.getScheme().toLowerCase() + "://" + u.getHost().toLowerCase() + ":" + u.getPort());
    }
    return out;
  }

  private static String joined(List<URI> urls) {
    StringBuilder sb = new StringBuilder();
    for (URI u : urls) {
      sb.append(sb.length() == 0 ? "" : ",").append(u);
    }
    return sb.toString();
  }

  /**
   * Creates the data directory if needed and checks it is writable.
   *
   * @throws ConfigException naming {@code data-dir} when it cannot be created or written
   */
  public Path ensureDataDir() {
    try {
      Files.createDirectories(dataDir);
      if (!Files.isWritable(dataDir)) {
        throw new IOException("not writable");
      }
      return dataDir;
    } catch (IOException | SecurityException e) {
      throw new ConfigException(
          "data-dir",
          "data-dir: invalid value \""
              + dataDir
              + "\" (cannot create a writable directory: "
              + e.getMessage()
              + ")");
    }
  }

  /** The member's name. */
  public String name() {
    return string(ConfigKey.NAME);
  }

  /** The absolute data directory ({@code <name>.etcd} in the working directory by default). */
  public Path dataDir() {
    return dataDir;
  }

  /** The initial cluster, resolved (etcd's default when not given) and checked. */
  public InitialCluster initialCluster() {
    return initialCluster;
  }

  /** A URL-list key's value. */
  @SuppressWarnings("unchecked")
  public List<URI> urls(ConfigKey key) {
    Object v = values.get(key);
    return v == null ? List.of() : (List<URI>) v;
  }

  /** A whole-number key's value (durations in milliseconds). */
  public long number(ConfigKey key) {
    return (Long) values.get(key);
  }

  /** A boolean key's value. */
  public boolean flag(ConfigKey key) {
    return (Boolean) values.get(key);
  }

  /** A string key's value, "" when unset with an empty default. */
  public String string(ConfigKey key) {
    Object v = values.get(key);
    return v == null ? "" : v.toString();
  }

  /** The typed value of any key, or null when unset with an empty default. */
  public Object value(ConfigKey key) {
    return values.get(key);
  }

  /** The keys the user set, with their values as written (flag syntax). */
  public Map<ConfigKey, String> explicit() {
    return explicit;
  }

  /**
   * The keys the user set to a non-default value that Kvorum does not act on yet, by flag name,
   * sorted: what the startup line "accepted, not yet supported" names.
   */
  public List<String> acceptedNotYetSupported() {
    Set<String> out = new java.util.TreeSet<>();
    for (ConfigKey k : explicit.keySet()) {
      if (!k.supported() && !java.util.Objects.equals(values.get(k), k.parsedDefault())) {
        out.add(k.flag());
      }
    }
    return List.copyOf(out);
  }

  /** The user's settings in flag form with data-dir made absolute: what a member is handed. */
  public Map<String, String> toFlags() {
    Map<String, String> out = new TreeMap<>();
    explicit.forEach((k, v) -> out.put(k.flag(), v));
    out.put(ConfigKey.DATA_DIR.flag(), dataDir.toString());
    return out;
  }
}
