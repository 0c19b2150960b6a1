package io.kvorum.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The types of etcd's configuration values and how a raw value (a flag or environment string, or a
 * YAML scalar) becomes a typed one. Flags and environment give strings; a config file gives YAML
 * scalars, which are accepted when they are of the key's type (or a string that parses as it).
 */
enum ValueType {
  STRING,
  BOOL,
  /** A whole number ≥ 0 (etcd's uint / uint64). */
  UINT,
  /** A whole number, possibly negative (etcd's int64). */
  INT64,
  /** A comma-separated list of URLs, as etcd's types.NewURLs checks them. */
  URLS,
  /** A Go duration such as {@code 5s}, {@code 2h}, {@code 1m30s}; stored as milliseconds. */
  DURATION,
  /** A list of strings: a YAML sequence, or a comma-separated string. */
  STRING_LIST;

  /**
   * Parses a raw value for {@code key}.
   *
   * @throws ConfigException naming the key and the value when it is not of this type
   */
  Object parse(ConfigKey key, Object raw) {
    String name = key.flag();
    if (raw instanceof Map || (raw instanceof List && this != STRING_LIST && this != URLS)) {
      throw ConfigException.invalid(name, raw, describe(key));
    }
    switch (this) {
      case STRING:
        return String.valueOf(raw);
      case BOOL:
        return parseBool(key, raw);
      case UINT:
      case INT64:
        return parseLong(key, raw);
      case URLS:
        return parseUrls(key, raw);
      case DURATION:
        return parseDuration(key, raw);
      case STRING_LIST:
        return parseList(raw);
      default:
        throw new IllegalStateException(this.name());
    }
  }

  String describe(ConfigKey key) {
    switch (this) {
      case BOOL:
        return "true or false";
      case UINT:
        return key.unit().isEmpty() ? "a whole number" : "a whole number of " + key.unit();
      case INT64:
        return "a whole number";
      case URLS:
        return "comma-separated URLs like http://127.0.0.1:2379";
      case DURATION:
        return "a duration like 5s, 2h or 500ms";
      case STRING_LIST:
        return "a list of strings";
      default:
        return "a string";
    }
  }

  private static Boolean parseBool(ConfigKey key, Object raw) {
    if (raw instanceof Boolean) {
      return (Boolean) raw;
    }
    // Go's strconv.ParseBool, which etcd's flags use.
    switch (String.valueOf(raw).trim()) {
      case "1":
      case "t":
      case "T":
      case "true":
      case "TRUE":
      case "True":
        return true;
      case "0":
      case "f":
      case "F":
      case "false":
      case "FALSE":
      case "False":
        return false;
      default:
        throw ConfigException.invalid(key.flag(), raw, BOOL.describe(key));
    }
  }

  private Long parseLong(ConfigKey key, Object raw) {
    long v;
    if (raw instanceof Integer || raw instanceof Long) {
      v = ((Number) raw).longValue();
    } else {
      try {
        v = Long.parseLong(String.valueOf(raw).trim());
      } catch (NumberFormatException e) {
        throw ConfigException.invalid(key.flag(), raw, describe(key));
      }
    }
    if (this == UINT && v < 0) {
      throw ConfigException.invalid(key.flag(), raw, describe(key));
    }
    return v;
  }

  private static List<String> parseList(Object raw) {
    List<String> out = new ArrayList<>();
    if (raw instanceof List) {
      for (Object o : (List<?>) raw) {
        out.add(String.valueOf(o).trim());
      }
    } else {
      for (String s : String.valueOf(raw).split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<URI> parseUrls(ConfigKey key, Object raw) {
    List<URI> urls = new ArrayList<>();
    for (String s : parseList(raw)) {
      urls.add(parseUrl(key.flag(), s));
    }
    return List.copyOf(urls);
  }

  /** One URL, with the checks of etcd's types.NewURLs. */
  static URI parseUrl(String key, String s) {
    URI u;
    try {
      u = new URI(s);
    } catch (URISyntaxException e) {
      throw ConfigException.invalid(key, s, "a URL like http://127.0.0.1:2379");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ConfigException(
          key, key + ": invalid value \"" + s + "\" (URL scheme must be http or https)");
    }
    if (u.getHost() == null || u.getPort() < 0) {
      throw new ConfigException(
          key,
          key + ": invalid value \"" + s + "\" (URL address does not have the form host:port)");
    }
    if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
      throw new ConfigException(
          key, key + ": invalid value \"" + s + "\" (URL must not contain a path)");
    }
    return u;
  }

  private static Long parseDuration(ConfigKey key, Object raw) {
    Long ms = GoDuration.toMillis(String.valueOf(raw).trim());
    if (ms == null) {
      throw ConfigException.invalid(key.flag(), raw, DURATION.describe(key));
    }
    return ms;
  }
}
