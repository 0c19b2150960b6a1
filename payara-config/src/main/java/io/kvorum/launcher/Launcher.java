package io.kvorum.launcher;

import io.kvorum.config.ConfigException;
import io.kvorum.config.MemberConfig;
import io.kvorum.config.MemberConfigLoader;
import io.kvorum.member.Versions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The Java half of {@code bin/kvorum}: validates a member's etcd configuration before anything
 * binds a port, and writes the command that runs it.
 *
 * <ul>
 *   <li>{@code plan OUT [etcd flags | --config-file FILE]}: on success writes OUT.jvm and
 *       OUT.payara (NUL-separated arguments) and exits 0; on a bad configuration prints one line
 *       naming the key and value and exits 1, as etcd does.
 *   <li>{@code version}: prints the versions, like {@code etcd --version}.
 * </ul>
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args)));
  }

  static int run(List<String> args) {
    if (args.isEmpty()) {
      System.err.println("usage: Launcher plan OUT [etcd flags] | version");
      return 2;
    }
    switch (args.get(0)) {
      case "version":
        System.out.println("kvorum Version: " + Versions.kvorum());
        System.out.println("etcd API Version: " + Versions.etcdServer());
        System.out.println("etcd Cluster Version: " + Versions.etcdCluster());
        System.out.println("Java Version: " + System.getProperty("java.version"));
        return 0;
      case "plan":
        return plan(Path.of(args.get(1)), args.subList(2, args.size()));
      default:
        System.err.println("unknown command " + args.get(0));
        return 2;
    }
  }

  private static int plan(Path out, List<String> flags) {
    MemberConfigLoader loader = new MemberConfigLoader(Path.of("").toAbsolutePath());
    try {
      MemberConfig config = loader.load(flags, System.getenv());
      loader.warnings().forEach(w -> System.err.println("kvorum: warning: " + w));
      config.ensureDataDir();
      MemberLaunch launch = new MemberLaunch(config);
      launch.checkListenAddressesFree();
      launch.writeFiles();
      launch.notes().forEach(n -> System.err.println("kvorum: " + n));
      write(out.resolveSibling(out.getFileName() + ".jvm"), launch.jvmArgs());
      write(out.resolveSibling(out.getFileName() + ".payara"), launch.payaraArgs());
      return 0;
    } catch (ConfigException e) {
      System.err.println("kvorum: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("kvorum: data-dir: cannot write member files: " + e);
      return 1;
    }
  }

  private static void write(Path file, List<String> args) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String a : args) {
      sb.append(a).append('\0');
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8);
  }
}
