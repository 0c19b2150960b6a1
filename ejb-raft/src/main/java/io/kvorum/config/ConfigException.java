package io.kvorum.config;

/**
 * A member configuration that cannot be used. The message is one line that names the key and the
 * bad value, so a member that refuses to start says exactly what to fix.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  /**
   * @param key the etcd configuration key (flag name, e.g. {@code heartbeat-interval})
   * @param message the one-line reason, already naming the key and value
   */
  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  /**
   * Builds the usual "invalid value" message: {@code heartbeat-interval: invalid value "x" (…)}.
   */
  static ConfigException invalid(String key, Object value, String expected) {
    return new ConfigException(
        key, key + ": invalid value \"" + value + "\" (expected " + expected + ")");
  }

  /** The configuration key this error is about. */
  public String key() {
    return key;
  }
}
