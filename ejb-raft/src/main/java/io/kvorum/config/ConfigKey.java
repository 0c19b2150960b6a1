package io.kvorum.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every key of etcd 3.4's configuration: its flag name (also its name in the config file, except
 * the TLS keys, which the file nests under {@code client-transport-security} / {@code
 * peer-transport-security}), its type, etcd's default, and whether Kvorum acts on it yet.
 *
 * <p>A key Kvorum does not act on yet is still parsed and validated; when a member sets it to a
 * value other than the default, one startup line names it as "accepted, not yet supported".
 */
public enum ConfigKey {
  // Member
  NAME("name", ValueType.STRING, "default", true),
  DATA_DIR("data-dir", ValueType.STRING, "", true),
  WAL_DIR("wal-dir", ValueType.STRING, "", false),
  SNAPSHOT_COUNT("snapshot-count", ValueType.UINT, "100000", true),
  HEARTBEAT_INTERVAL("heartbeat-interval", ValueType.UINT, "100", true, "milliseconds"),
  ELECTION_TIMEOUT("election-timeout", ValueType.UINT, "1000", true, "milliseconds"),
  INITIAL_ELECTION_TICK_ADVANCE("initial-election-tick-advance", ValueType.BOOL, "true", false),
  LISTEN_PEER_URLS("listen-peer-urls", ValueType.URLS, "http://localhost:2380", true),
  LISTEN_CLIENT_URLS("listen-client-urls", ValueType.URLS, "http://localhost:2379", true),
  MAX_SNAPSHOTS("max-snapshots", ValueType.UINT, "5", false),
  MAX_WALS("max-wals", ValueType.UINT, "5", false),
  QUOTA_BACKEND_BYTES("quota-backend-bytes", ValueType.INT64, "0", true),
  BACKEND_BATCH_INTERVAL("backend-batch-interval", ValueType.DURATION, "0", false),
  BACKEND_BATCH_LIMIT("backend-batch-limit", ValueType.UINT, "0", false),
  MAX_TXN_OPS("max-txn-ops", ValueType.UINT, "128", true),
  MAX_REQUEST_BYTES("max-request-bytes", ValueType.UINT, "1572864", true, "bytes"),
  GRPC_KEEPALIVE_MIN_TIME("grpc-keepalive-min-time", ValueType.DURATION, "5s", false),
  GRPC_KEEPALIVE_INTERVAL("grpc-keepalive-interval", ValueType.DURATION, "2h", false),
  GRPC_KEEPALIVE_TIMEOUT("grpc-keepalive-timeout", ValueType.DURATION, "20s", false),
  // Clustering
  INITIAL_ADVERTISE_PEER_URLS(
      "initial-advertise-peer-urls", ValueType.URLS, "http://localhost:2380", true),
  INITIAL_CLUSTER("initial-cluster", ValueType.STRING, "", true),
  INITIAL_CLUSTER_STATE("initial-cluster-state", "new", true, "new", "existing"),
  INITIAL_CLUSTER_TOKEN("initial-cluster-token", ValueType.STRING, "etcd-cluster", true),
  ADVERTISE_CLIENT_URLS("advertise-client-urls", ValueType.URLS, "http://localhost:2379", true),
  DISCOVERY("discovery", ValueType.STRING, "", false),
  DISCOVERY_FALLBACK("discovery-fallback", "proxy", false, "exit", "proxy"),
  DISCOVERY_PROXY("discovery-proxy", ValueType.STRING, "", false),
  DISCOVERY_SRV("discovery-srv", ValueType.STRING, "", false),
  DISCOVERY_SRV_NAME("discovery-srv-name", ValueType.STRING, "", false),
  STRICT_RECONFIG_CHECK("strict-reconfig-check", ValueType.BOOL, "true", true),
  /** Kvorum runs pre-vote by default (etcd 3.4 defaults to false): it stops disruptive rejoins. */
  PRE_VOTE("pre-vote", ValueType.BOOL, "true", true),
  AUTO_COMPACTION_RETENTION("auto-compaction-retention", ValueType.STRING, "0", true),
  AUTO_COMPACTION_MODE("auto-compaction-mode", "periodic", true, "periodic", "revision"),
  ENABLE_V2("enable-v2", ValueType.BOOL, "false", false),
  // Security
  CERT_FILE("cert-file", ValueType.STRING, "", false, "", "client-transport-security"),
  KEY_FILE("key-file", ValueType.STRING, "", false, "", "client-transport-security"),
  CLIENT_CERT_AUTH(
      "client-cert-auth", ValueType.BOOL, "false", false, "", "client-transport-security"),
  CLIENT_CRL_FILE("client-crl-file", ValueType.STRING, "", false),
  CLIENT_CERT_ALLOWED_HOSTNAME("client-cert-allowed-hostname", ValueType.STRING, "", false),
  TRUSTED_CA_FILE("trusted-ca-file", ValueType.STRING, "", false, "", "client-transport-security"),
  AUTO_TLS("auto-tls", ValueType.BOOL, "false", false, "", "client-transport-security"),
  PEER_CERT_FILE("peer-cert-file", ValueType.STRING, "", false, "", "peer-transport-security"),
  PEER_KEY_FILE("peer-key-file", ValueType.STRING, "", false, "", "peer-transport-security"),
  PEER_CLIENT_CERT_AUTH(
      "peer-client-cert-auth", ValueType.BOOL, "false", false, "", "peer-transport-security"),
  PEER_TRUSTED_CA_FILE(
      "peer-trusted-ca-file", ValueType.STRING, "", false, "", "peer-transport-security"),
  PEER_CERT_ALLOWED_CN("peer-cert-allowed-cn", ValueType.STRING, "", false),
  PEER_CERT_ALLOWED_HOSTNAME("peer-cert-allowed-hostname", ValueType.STRING, "", false),
  PEER_AUTO_TLS("peer-auto-tls", ValueType.BOOL, "false", false, "", "peer-transport-security"),
  PEER_CRL_FILE("peer-crl-file", ValueType.STRING, "", false),
  CIPHER_SUITES("cipher-suites", ValueType.STRING, "", false),
  CORS("cors", ValueType.STRING, "*", false),
  HOST_WHITELIST("host-whitelist", ValueType.STRING, "*", false),
  // Auth
  AUTH_TOKEN("auth-token", ValueType.STRING, "simple", false),
  BCRYPT_COST("bcrypt-cost", ValueType.UINT, "10", false),
  // Profiling and monitoring
  ENABLE_PPROF("enable-pprof", ValueType.BOOL, "false", false),
  METRICS("metrics", "basic", false, "basic", "extensive"),
  LISTEN_METRICS_URLS("listen-metrics-urls", ValueType.URLS, "", false),
  // Logging
  LOGGER("logger", "capnslog", false, "zap", "capnslog"),
  LOG_OUTPUTS("log-outputs", ValueType.STRING_LIST, "default", false),
  LOG_LEVEL("log-level", "info", false, "debug", "info", "warn", "error", "panic", "fatal"),
  DEBUG("debug", ValueType.BOOL, "false", false),
  LOG_PACKAGE_LEVELS("log-package-levels", ValueType.STRING, "", false),
  // v2 proxy
  PROXY("proxy", "off", false, "off", "readonly", "on"),
  PROXY_FAILURE_WAIT("proxy-failure-wait", ValueType.UINT, "5000", false, "milliseconds"),
  PROXY_REFRESH_INTERVAL("proxy-refresh-interval", ValueType.UINT, "30000", false, "milliseconds"),
  PROXY_DIAL_TIMEOUT("proxy-dial-timeout", ValueType.UINT, "1000", false, "milliseconds"),
  PROXY_WRITE_TIMEOUT("proxy-write-timeout", ValueType.UINT, "5000", false, "milliseconds"),
  PROXY_READ_TIMEOUT("proxy-read-timeout", ValueType.UINT, "0", false, "milliseconds"),
  // Experimental
  EXPERIMENTAL_INITIAL_CORRUPT_CHECK(
      "experimental-initial-corrupt-check", ValueType.BOOL, "false", false),
  EXPERIMENTAL_CORRUPT_CHECK_TIME(
      "experimental-corrupt-check-time", ValueType.DURATION, "0s", false),
  EXPERIMENTAL_ENABLE_V2V3("experimental-enable-v2v3", ValueType.STRING, "", false),
  EXPERIMENTAL_BACKEND_BBOLT_FREELIST_TYPE(
      "experimental-backend-bbolt-freelist-type", "array", false, "array", "map"),
  /** Kvorum checkpoints lease TTLs through the log by default, so leader changes keep them. */
  EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT(
      "experimental-enable-lease-checkpoint", ValueType.BOOL, "true", false),
  EXPERIMENTAL_COMPACTION_BATCH_LIMIT(
      "experimental-compaction-batch-limit", ValueType.UINT, "1000", false),
  EXPERIMENTAL_PEER_SKIP_CLIENT_SAN_VERIFICATION(
      "experimental-peer-skip-client-san-verification", ValueType.BOOL, "false", false),
  // Unsafe
  FORCE_NEW_CLUSTER("force-new-cluster", ValueType.BOOL, "false", false);

  private static final Map<String, ConfigKey> BY_FLAG = new HashMap<>();
  private static final Map<String, ConfigKey> BY_ENV = new HashMap<>();

  static {
    for (ConfigKey k : values()) {
      BY_FLAG.put(k.flag, k);
      BY_ENV.put(k.envName(), k);
    }
  }

  private final String flag;
  private final ValueType type;
  private final String defaultValue;
  private final boolean supported;
  private final String unit;
  private final String section;
  private final List<String> choices;

  ConfigKey(String flag, ValueType type, String defaultValue, boolean supported) {
    this(flag, type, defaultValue, supported, "", "");
  }

  ConfigKey(String flag, ValueType type, String defaultValue, boolean supported, String unit) {
    this(flag, type, defaultValue, supported, unit, "");
  }

  ConfigKey(
      String flag,
      ValueType type,
      String defaultValue,
      boolean supported,
      String unit,
      String section) {
    this.flag = flag;
    this.type = type;
    this.defaultValue = defaultValue;
    this.supported = supported;
    this.unit = unit;
    this.section = section;
    this.choices = List.of();
  }

  ConfigKey(String flag, String defaultValue, boolean supported, String... choices) {
    this.flag = flag;
    this.type = ValueType.STRING;
    this.defaultValue = defaultValue;
    this.supported = supported;
    this.unit = "";
    this.section = "";
    this.choices = List.of(choices);
  }

  /** The key by its flag name ({@code heartbeat-interval}), or null. */
  public static ConfigKey byFlag(String flag) {
    return BY_FLAG.get(flag);
  }

  /** The key by its environment variable ({@code ETCD_HEARTBEAT_INTERVAL}), or null. */
  public static ConfigKey byEnv(String env) {
    return BY_ENV.get(env);
  }

  /** The flag name, which is also the config-file key (inside {@link #section()} if any). */
  public String flag() {
    return flag;
  }

  /** etcd's environment variable for this key: {@code ETCD_} and the flag, upper snake case. */
  public String envName() {
    return "ETCD_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * The config-file section this key is nested in ({@code client-transport-security} or {@code
   * peer-transport-security}), or "" for a top-level key.
   */
  public String section() {
    return section;
  }

  /** The key's name inside its config-file section (the TLS keys lose their "peer-" prefix). */
  public String fileKey() {
    return section.startsWith("peer") ? flag.substring("peer-".length()) : flag;
  }

  /** Whether Kvorum acts on this key in this version. */
  public boolean supported() {
    return supported;
  }

  String unit() {
    return unit;
  }

  String defaultValue() {
    return defaultValue;
  }

  /** Parses and checks a raw value. @throws ConfigException naming this key and the value */
  Object parse(Object raw) {
    Object v = type.parse(this, raw);
    if (!choices.isEmpty() && !choices.contains(v)) {
      throw ConfigException.invalid(flag, raw, "one of " + String.join(", ", choices));
    }
    return v;
  }

  /** The typed default, or null when etcd's default is empty. */
  Object parsedDefault() {
    return defaultValue.isEmpty() ? null : parse(defaultValue);
  }

  ValueType type() {
    return type;
  }
}
