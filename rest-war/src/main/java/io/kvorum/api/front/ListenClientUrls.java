package io.kvorum.api.front;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The socket addresses named by etcd's {@code listen-client-urls}.
 *
 * <p>Follows etcd 3.4's {@code embed.checkBindURLs}: each URL needs an explicit port and a host
 * that is an IP literal or {@code localhost} ("expected IP in URL for binding"). Only {@code
 * http://} is served for now; {@code https://} (TLS) and {@code unix://} sockets are rejected with
 * the key's name rather than silently served in clear text.
 */
public final class ListenClientUrls {

  /** The configuration key every error message names. */
  public static final String KEY = "listen-client-urls";

  private ListenClientUrls() {}

  /**
   * Parses a comma-separated {@code listen-client-urls} value.
   *
   * @param value e.g. {@code "http://127.0.0.1:2379,http://10.0.0.5:2379"}
   * @return the addresses to bind, in the order given, duplicates removed
   * @throws IllegalArgumentException naming {@link #KEY} if the value is empty or a URL is not a
   *     bindable {@code http://IP:port}
   */
  public static List<InetSocketAddress> parse(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(KEY + ": no URL given");
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String raw : value.split(",")) {
      InetSocketAddress address = parseOne(raw.trim());
      if (!addresses.contains(address)) {
        addresses.add(address);
      }
    }
    return List.copyOf(addresses);
  }

  private static InetSocketAddress parseOne(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(KEY + ": not a URL: " + url, e);
    }
    String scheme = uri.getScheme();
    if ("https".equals(scheme) || "unix".equals(scheme) || "unixs".equals(scheme)) {
      throw new IllegalArgumentException(KEY + ": " + scheme + ":// is not supported: " + url);
    }
    if (!"http".equals(scheme)) {
      throw new IllegalArgumentException(KEY + ": URL scheme must be http: " + url);
    }
    String host = uri.getHost();
    if (host == null || uri.getPort() < 0) {
      throw new IllegalArgumentException(KEY + ": URL needs host and port: " + url);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!"localhost".equals(host) && !isIpLiteral(host)) {
      throw new IllegalArgumentException(KEY + ": expected IP in URL for binding (" + url + ")");
    }
    try {
      // An IP literal or "localhost" never needs DNS.
      return new InetSocketAddress(InetAddress.getByName(host), uri.getPort());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(KEY + ": cannot resolve " + host + " in " + url, e);
    }
  }

  private static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true; // IPv6; URI has already checked its syntax
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
