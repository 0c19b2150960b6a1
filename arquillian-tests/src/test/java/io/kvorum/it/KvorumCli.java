package io.kvorum.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code payara-config/bin/kvorum} the way a user does, and looks at members from outside. */
final class KvorumCli {
  static final Path BIN = Path.of(System.getProperty("kvorum.bin"));
  static final Path WORK = Path.of(System.getProperty("kvorum.testDir"));

  /** Generous: three Payara Micro members booting at once on 2 busy cores take minutes. */
  static final Duration BOOT = Duration.ofMinutes(5);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private KvorumCli() {}

  /** An empty directory under the test work directory (a data-dir of an earlier run is wiped). */
  static Path freshDir(String name) throws IOException {
    Path dir = WORK.resolve(name);
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p :
            (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }

  /** A finished command: exit code and combined output. */
  record Result(int exit, String output) {}

  /** Runs {@code kvorum args...} to completion. */
  static Result run(Map<String, String> env, String... args) {
    try {
      Files.createDirectories(WORK);
      Path out = Files.createTempFile(WORK, "kvorum-", ".out");
      Process p = start(out, env, args);
      if (!p.waitFor(BOOT.toSeconds() + 60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kvorum " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.exitValue(), Files.readString(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs the real etcdctl 3.4 (v3 API) to completion: exit code and combined output. */
  static Result etcdctl(String... args) {
    return etcdctlWithInput("", args);
  }

  /**
   * Like {@link #etcdctl}, with {@code input} on its stdin (etcdctl txn reads its script there).
   */
  static Result etcdctlWithInput(String input, String... args) {
    try {
      ProcessBuilder pb = etcdctlCommand(args).redirectErrorStream(true);
      Process p = pb.start();
      try (var stdin = p.getOutputStream()) {
        stdin.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts etcdctl in the background (etcdctl watch), stdout and stderr to {@code out}. */
  static Process startEtcdctl(Path out, String... args) throws IOException {
    return etcdctlCommand(args).redirectErrorStream(true).redirectOutput(out.toFile()).start();
  }

  private static ProcessBuilder etcdctlCommand(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("etcdctl");
    cmd.add("--command-timeout=10s");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("ETCDCTL_API", "3");
    return pb;
  }

  /** Starts {@code kvorum args...} in the background, output to {@code out}. */
  static Process start(Path out, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(BIN.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(WORK.toFile());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    return pb.start();
  }

  /** GET {@code http://127.0.0.1:port/path}; null when nothing answers. */
  static HttpResponse<String> get(int port, String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until the member on {@code port} answers /health with 200, or the process dies. */
  static void awaitHealthy(int port, Process p, Path log) throws Exception {
    await(port, "/health", p, log);
  }

  /** Waits until the member on {@code port} serves /version (it runs, maybe without a leader). */
  static void awaitUp(int port, Process p, Path log) throws Exception {
    await(port, "/version", p, log);
  }

  private static void await(int port, String path, Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + BOOT.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get(port, path);
      if (r != null && r.statusCode() == 200) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError("member exited " + p.exitValue() + ":\n" + Files.readString(log));
      }
      Thread.sleep(500);
    }
    throw new AssertionError("member on " + port + " did not answer " + path + " in " + BOOT);
  }

  /** Whether something accepts TCP connections on 127.0.0.1:port. */
  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
