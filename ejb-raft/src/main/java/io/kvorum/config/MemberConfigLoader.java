package io.kvorum.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a member's configuration the way etcd 3.4 does: a YAML file given by {@code --config-file}
 * (or {@code ETCD_CONFIG_FILE}) wins and then flags and environment are ignored; otherwise flags
 * ({@code --name x}, {@code --name=x}, {@code -name x}), then {@code ETCD_*} environment variables
 * for what no flag set, then etcd's defaults.
 *
 * <p>Not thread-safe; use one loader per load. Warnings (ignored environment variables and flags)
 * are collected in {@link #warnings()} for the caller to log.
 */
public final class MemberConfigLoader {
  /** The flag and environment variable that name a config file. */
  public static final String CONFIG_FILE_FLAG = "config-file";

  private static final String CONFIG_FILE_ENV = "ETCD_CONFIG_FILE";

  private final Path workDir;
  private final List<String> warnings = new ArrayList<>();

  /**
   * @param workDir the directory relative paths (data-dir, config-file) are resolved against
   */
  public MemberConfigLoader(Path workDir) {
    this.workDir = workDir;
  }

  /**
   * Loads from command-line flags and the environment.
   *
   * @param args etcd flags, without the command name
   * @param env the process environment (only {@code ETCD_*} variables are read)
   * @throws ConfigException naming the key and bad value
   */
  public MemberConfig load(List<String> args, Map<String, String> env) {
    Map<String, String> flags = parseFlags(args);
    String file = flags.remove(CONFIG_FILE_FLAG);
    if (file == null) {
      file = env.get(CONFIG_FILE_ENV);
    }
    if (file != null) {
      if (!flags.isEmpty()) {
        warnings.add("ignoring flags " + flags.keySet() + ": --config-file is given");
      }
      return loadFile(workDir.resolve(file));
    }
    Map<ConfigKey, Object> raw = new EnumMap<>(ConfigKey.class);
    Map<ConfigKey, String> given = new EnumMap<>(ConfigKey.class);
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith("ETCD_") || e.getKey().equals(CONFIG_FILE_ENV)) {
        continue;
      }
      ConfigKey k = ConfigKey.byEnv(e.getKey());
      if (k == null) {
        warnings.add("unrecognized environment variable " + e.getKey() + "=" + e.getValue());
      } else if (flags.containsKey(k.flag())) {
        warnings.add("ignoring environment variable " + e.getKey() + ": --" + k.flag() + " is set");
      } else {
        raw.put(k, e.getValue());
        given.put(k, e.getValue());
      }
    }
    for (Map.Entry<String, String> e : flags.entrySet()) {
      ConfigKey k = ConfigKey.byFlag(e.getKey());
      raw.put(k, e.getValue());
      given.put(k, e.getValue());
    }
    return build(raw, given);
  }

  /**
   * Loads settings already in flag form (flag name → value), e.g. what a launcher handed a member.
   *
   * @throws ConfigException naming the key and bad value, or an unknown key
   */
  public MemberConfig loadFlags(Map<String, String> settings) {
    Map<ConfigKey, Object> raw = new EnumMap<>(ConfigKey.class);
    Map<ConfigKey, String> given = new EnumMap<>(ConfigKey.class);
    settings.forEach(
        (name, value) -> {
          ConfigKey k = ConfigKey.byFlag(name);
          if (k == null) {
            throw new ConfigException(name, "unknown configuration key \"" + name + "\"");
          }
          raw.put(k, value);
          given.put(k, value);
        });
    return build(raw, given);
  }

  /**
   * Loads an etcd YAML config file.
   *
   * @throws ConfigException naming {@code config-file} when it can't be read or parsed, or the key
   *     and value that are wrong
   */
  public MemberConfig loadFile(Path file) {
    Object doc;
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      doc = new Yaml(new SafeConstructor(options)).load(r);
    } catch (IOException e) {
      throw new ConfigException(
          CONFIG_FILE_FLAG, "config-file: cannot read \"" + file + "\": " + e);
    } catch (YAMLException e) {
      String why = e.getMessage().replaceAll("\\s+", " ").trim();
      throw new ConfigException(
          CONFIG_FILE_FLAG, "config-file: \"" + file + "\" is not valid YAML: " + why);
    }
    if (doc == null) {
      doc = Map.of();
    }
    if (!(doc instanceof Map)) {
      throw new ConfigException(
          CONFIG_FILE_FLAG, "config-file: \"" + file + "\" must be a YAML mapping of etcd keys");
    }
    Map<ConfigKey, Object> raw = new EnumMap<>(ConfigKey.class);
    Map<ConfigKey, String> given = new EnumMap<>(ConfigKey.class);
    readSection((Map<?, ?>) doc, "", raw, given);
    return build(raw, given);
  }

  private void readSection(
      Map<?, ?> map, String section, Map<ConfigKey, Object> raw, Map<ConfigKey, String> given) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = String.valueOf(e.getKey());
      Object value = e.getValue();
      if (section.isEmpty()
          && (name.equals("client-transport-security") || name.equals("peer-transport-security"))) {
        if (value == null) {
          continue;
        }
        if (!(value instanceof Map)) {
          throw ConfigException.invalid(name, value, "a mapping of TLS settings");
        }
        readSection((Map<?, ?>) value, name, raw, given);
        continue;
      }
      ConfigKey k = fileKey(section, name);
      if (k == null) {
        String full = section.isEmpty() ? name : section + "." + name;
        throw new ConfigException(full, "config-file: unknown key \"" + full + "\"");
      }
      if (value == null || (value instanceof String && ((String) value).isEmpty())) {
        continue; // an empty value in etcd's sample file means "use the default"
      }
      raw.put(k, value);
      given.put(k, flagForm(value));
    }
  }

  private static ConfigKey fileKey(String section, String name) {
    for (ConfigKey k : ConfigKey.values()) {
      if (k.section().equals(section) && k.fileKey().equals(name)) {
        return k;
      }
    }
    return null;
  }

  private static String flagForm(Object value) {
    if (value instanceof List) {
      List<String> parts = new ArrayList<>();
      for (Object o : (List<?>) value) {
        parts.add(String.valueOf(o));
      }
      return String.join(",", parts);
    }
    return String.valueOf(value);
  }

  private MemberConfig build(Map<ConfigKey, Object> raw, Map<ConfigKey, String> given) {
    Map<ConfigKey, Object> parsed = new EnumMap<>(ConfigKey.class);
    raw.forEach((k, v) -> parsed.put(k, k.parse(v)));
    return new MemberConfig(parsed, given, workDir);
  }

  /** Go flag syntax: {@code --k v}, {@code --k=v}, one or two dashes, bare boolean flags. */
  private static Map<String, String> parseFlags(List<String> args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("-") || a.equals("-") || a.equals("--")) {
        throw new ConfigException(a, "'" + a + "' is not a valid flag");
      }
      String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      ConfigKey k = ConfigKey.byFlag(name);
      if (k == null && !name.equals(CONFIG_FILE_FLAG)) {
        throw new ConfigException(name, "flag provided but not defined: -" + name);
      }
      String value;
      if (eq >= 0) {
        value = body.substring(eq + 1);
      } else if (k != null && k.type() == ValueType.BOOL) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new ConfigException(name, "flag needs an argument: -" + name);
      }
      flags.put(name, value);
    }
    return flags;
  }

  /** Warnings collected by the last load: ignored variables and flags. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }
}
