package io.kvorum.launcher;

import io.kvorum.config.ConfigException;
import io.kvorum.config.ConfigKey;
import io.kvorum.config.MemberConfig;
import io.kvorum.member.LocalMember;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * How one validated member configuration becomes a Payara Micro process: the client URL is the HTTP
 * listener, the peer URLs are the Hazelcast member addresses, the data-dir holds the member's
 * settings, Payara's root directory and (later) its database.
 */
final class MemberLaunch {
  private final MemberConfig config;
  private final Path memberDir;
  private final int internalHttpPort;

  MemberLaunch(MemberConfig config) {
    this(config, freeLoopbackPort());
  }

  /**
   * @param internalHttpPort where Payara's HTTP listener goes (loopback only): the member's client
   *     URL is served by the client-port front, which relays HTTP/1.1 there and serves gRPC itself
   */
  MemberLaunch(MemberConfig config, int internalHttpPort) {
    this.config = config;
    this.memberDir = config.dataDir().resolve("member");
    this.internalHttpPort = internalHttpPort;
  }

  private static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("no free loopback port for Payara's HTTP listener", e);
    }
  }

  /**
   * Fails, as etcd does, when a listen address is taken: Payara would otherwise start without its
   * HTTP listener, or Hazelcast would move to the next port.
   *
   * @throws ConfigException naming the listen key and the address
   */
  void checkListenAddressesFree() {
    checkFree(ConfigKey.LISTEN_CLIENT_URLS, clientUrl());
    checkFree(ConfigKey.LISTEN_PEER_URLS, peerUrl());
  }

  private static void checkFree(ConfigKey key, URI url) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(bindHost(url), url.getPort()));
    } catch (IOException e) {
      throw new ConfigException(
          key.flag(), key.flag() + ": cannot listen on " + hostPort(url) + ": " + e.getMessage());
    }
  }

  /** Writes what the member reads at boot: its settings and its preboot commands. */
  void writeFiles() throws IOException {
    // Payara keeps deployed applications in its root directory and would deploy the last run's
    // copy next to the uber-jar's: start from an empty one every time.
    deleteRecursively(memberDir.resolve("payara"));
    Files.createDirectories(memberDir.resolve("payara"));
    Files.createDirectories(memberDir.resolve("runtime"));
    Properties p = new Properties();
    config.toFlags().forEach(p::setProperty);
    try (OutputStream out = Files.newOutputStream(settingsFile())) {
      p.store(out, "kvorum member settings, validated by the launcher; do not edit");
    }
    String preboot =
        "set configs.config.server-config.ejb-container.ejb-timer-service"
            + ".minimum-delivery-interval-in-millis=1\n"
            + "set configs.config.server-config.network-config.network-listeners"
            + ".network-listener.http-listener.address=127.0.0.1\n"
            // etcd's /health and /metrics are Kvorum's: Payara's MicroProfile endpoints step aside.
            + "set-microprofile-healthcheck-configuration --enabled=false\n"
            + "set configs.config.server-config.microprofile-metrics-configuration.enabled=false\n"
            + "set-openapi-configuration --enabled=false\n";
    Files.writeString(prebootFile(), preboot, StandardCharsets.UTF_8);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** JVM options (system properties) the member needs. */
  List<String> jvmArgs() {
    List<String> args = new ArrayList<>();
    args.add("-D" + LocalMember.MEMBER_SETTINGS + "=" + settingsFile());
    args.add("-Dkvorum.data-dir=" + config.dataDir());
    args.add("-D" + LocalMember.INTERNAL_HTTP_PORT + "=" + internalHttpPort);
    // Without this Hazelcast listens on every interface whatever --interfaces says.
    args.add("-Dhazelcast.socket.bind.any=" + isWildcard(peerUrl()));
    // Hazelcast's own JVM shutdown hook would cut the peer transport at once on SIGTERM, before a
    // leader hands leadership over (RaftNodeBean); Payara's shutdown stops Hazelcast afterwards.
    args.add("-Dhazelcast.shutdownhook.enabled=false");
    return args;
  }

  /** Payara Micro's command-line options for this member. */
  List<String> payaraArgs() {
    URI peer = peerUrl();
    List<String> args = new ArrayList<>();
    args.add("--name");
    args.add(config.name());
    args.add("--port");
    args.add(Integer.toString(internalHttpPort));
    args.add("--rootdir");
    args.add(memberDir.resolve("payara").toString());
    args.add("--unpackdir");
    args.add(memberDir.resolve("runtime").toString());
    args.add("--prebootcommandfile");
    args.add(prebootFile().toString());
    args.add("--clustername");
    args.add("kvorum-" + config.string(ConfigKey.INITIAL_CLUSTER_TOKEN));
    args.add("--clustermode");
    args.add("tcpip:" + String.join(",", peerAddresses()));
    args.add("--startport");
    args.add(Integer.toString(peer.getPort()));
    if (!isWildcard(peer)) {
      args.add("--interfaces");
      args.add(bindHost(peer));
    } else if (!config.urls(ConfigKey.INITIAL_ADVERTISE_PEER_URLS).isEmpty()) {
      URI adv = config.urls(ConfigKey.INITIAL_ADVERTISE_PEER_URLS).get(0);
      args.add("--hzpublicaddress");
      args.add(adv.getHost() + ":" + adv.getPort());
    }
    args.add("--nohostaware");
    args.add("--disablephonehome");
    return args;
  }

  /** Every initial member's first peer URL as host:port: the Hazelcast TCP/IP join list. */
  private List<String> peerAddresses() {
    List<String> out = new ArrayList<>();
    config.initialCluster().members().values().forEach(urls -> out.add(hostPort(urls.get(0))));
    return out;
  }

  /** Lines for the startup log: what is served where, and the URLs that are not served yet. */
  List<String> notes() {
    List<String> notes = new ArrayList<>();
    if (config.urls(ConfigKey.LISTEN_PEER_URLS).size() > 1) {
      notes.add("peers use the first listen-peer-urls entry only: " + peerUrl());
    }
    return notes;
  }

  private URI clientUrl() {
    return config.urls(ConfigKey.LISTEN_CLIENT_URLS).get(0);
  }

  private URI peerUrl() {
    return config.urls(ConfigKey.LISTEN_PEER_URLS).get(0);
  }

  private Path settingsFile() {
    return memberDir.resolve("settings.properties");
  }

  private Path prebootFile() {
    return memberDir.resolve("preboot.txt");
  }

  private static boolean isWildcard(URI u) {
    return u.getHost().equals("0.0.0.0") || u.getHost().equals("[::]");
  }

  private static String bindHost(URI u) {
    return u.getHost().equals("localhost") ? "127.0.0.1" : u.getHost();
  }

  private static String hostPort(URI u) {
    return bindHost(u) + ":" + u.getPort();
  }
}
