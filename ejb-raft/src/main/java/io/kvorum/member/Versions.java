package io.kvorum.member;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The versions a member reports. Kvorum implements etcd's v3 API at the 3.4 level: {@code /version}
 * and Maintenance.Status say etcd server 3.4.23, cluster version 3.4.0, as etcd 3.4.23 does.
 */
public final class Versions {
  private static final Properties VERSIONS = load();

  private Versions() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("/io/kvorum/version.properties")) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** Kvorum's own version (the build's). */
  public static String kvorum() {
    return VERSIONS.getProperty("kvorum");
  }

  /** The etcd server version whose API Kvorum implements: {@code 3.4.23}. */
  public static String etcdServer() {
    return VERSIONS.getProperty("etcdserver");
  }

  /** The etcd cluster version: {@code 3.4.0}. */
  public static String etcdCluster() {
    return VERSIONS.getProperty("etcdcluster");
  }
}
