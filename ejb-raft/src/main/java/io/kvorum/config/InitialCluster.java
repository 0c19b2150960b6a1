package io.kvorum.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's {@code initial-cluster}: {@code name=peerURL[,name=peerURL...]}, a name may repeat to give
 * a member several peer URLs. Member order is kept as written.
 */
public final class InitialCluster {
  private final Map<String, List<URI>> members;

  private InitialCluster(Map<String, List<URI>> members) {
    this.members = members;
  }

  /** Parses the flag's value. @throws ConfigException naming {@code initial-cluster} */
  static InitialCluster parse(String value) {
    String key = ConfigKey.INITIAL_CLUSTER.flag();
    Map<String, List<URI>> m = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw ConfigException.invalid(key, value, "name=peerURL pairs separated by commas");
      }
      URI url = ValueType.parseUrl(key, p.substring(eq + 1).trim());
      m.computeIfAbsent(p.substring(0, eq).trim(), n -> new ArrayList<>()).add(url);
    }
    if (m.isEmpty()) {
      throw ConfigException.invalid(key, value, "name=peerURL pairs separated by commas");
    }
    // Members are told apart by their peer URLs (member ids are hashed from them), as in etcd.
    java.util.Set<URI> seen = new java.util.HashSet<>();
    for (List<URI> urls : m.values()) {
      for (URI u : urls) {
        if (!seen.add(u)) {
          throw new ConfigException(
              key, key + ": invalid value \"" + value + "\" (duplicate peer URL " + u + ")");
        }
      }
    }
    Map<String, List<URI>> frozen = new LinkedHashMap<>();
    m.forEach((n, urls) -> frozen.put(n, List.copyOf(urls)));
    return new InitialCluster(Collections.unmodifiableMap(frozen));
  }

  /** Member name → its peer URLs, in the order written. */
  public Map<String, List<URI>> members() {
    return members;
  }

  /** The peer URLs of one member, or an empty list when the name is not in the cluster. */
  public List<URI> peerUrls(String name) {
    return members.getOrDefault(name, List.of());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    members.forEach(
        (n, urls) -> {
          for (URI u : urls) {
            sb.append(sb.length() == 0 ? "" : ",").append(n).append('=').append(u);
          }
        });
    return sb.toString();
  }
}
