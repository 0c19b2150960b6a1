package io.kvorum.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripted scenarios with golden output, in etcd/raft's testdata style: each block of a file in
 * src/test/resources/raft/scenarios is a command, a {@code ----} line and the expected output,
 * followed by a blank line. {@code -Draft.rewrite=true} rewrites the expectations (review the diff
 * before committing it!).
 *
 * <p>Commands: {@code cluster <voters> [spare ids...] [chunk=<snapshot chunk bytes>]}, {@code
 * campaign <id>}, {@code tick <n>} (every node ticks n times, messages delivered after each round),
 * {@code deliver} (lists each message), {@code isolate <id>...}, {@code cut <from> <to>}, {@code
 * heal}, {@code propose <id> <data>}, {@code read <id> <ctx>}, {@code transfer <id> <to>}, {@code
 * conf <id> <type> <node>}, {@code snapshot <id>} (the node's application snapshots at its applied
 * index), {@code restart <id>}, {@code status}. Output: the events each command caused (role
 * changes, applied entries, reads, snapshot installs) and what it printed.
 */
class ScenarioTest {
  private static final Path DIR = Path.of("src/test/resources/raft/scenarios");

  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".txt"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void scenarioMatchesGoldenOutput(String name) throws IOException {
    Path file = DIR.resolve(name);
    List<String> lines = Files.readAllLines(file);
    StringBuilder expected = new StringBuilder();
    StringBuilder actual = new StringBuilder();
    TestCluster[] c = {null};
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        expected.append(line).append('\n');
        actual.append(line).append('\n');
        i++;
        continue;
      }
      String command = line;
      i++;
      if (i >= lines.size() || !lines.get(i).equals("----")) {
        throw new IllegalArgumentException(name + ": '----' expected after: " + command);
      }
      i++;
      StringBuilder want = new StringBuilder();
      while (i < lines.size() && !lines.get(i).isEmpty()) {
        want.append(lines.get(i)).append('\n');
        i++;
      }
      String got = run(c, command);
      expected.append(command).append("\n----\n").append(want);
      actual.append(command).append("\n----\n").append(got);
    }
    if (Boolean.getBoolean("raft.rewrite")) {
      Files.writeString(file, actual.toString());
      return;
    }
    assertEquals(expected.toString(), actual.toString(), "scenario " + name);
  }

  private static String run(TestCluster[] cluster, String command) {
    String[] a = command.trim().split("\\s+");
    List<String> out = new ArrayList<>();
    TestCluster c = cluster[0];
    if (c != null) {
      c.events.clear();
    }
    switch (a[0]) {
      case "cluster" -> {
        long[] spare =
            Arrays.stream(a)
                .skip(2)
                .filter(x -> !x.contains("="))
                .mapToLong(Long::parseLong)
                .toArray();
        c = TestCluster.of(Integer.parseInt(a[1]), spare);
        for (String opt : a) {
          if (opt.startsWith("chunk=")) {
            int bytes = Integer.parseInt(opt.substring(6));
            c.tweak = cfg -> cfg.snapshotChunkBytes(bytes);
            for (long id : List.copyOf(c.nodes.keySet())) {
              c.restart(id);
            }
          }
        }
        c.events.clear();
        cluster[0] = c;
      }
      case "campaign" -> {
        c.node(id(a[1])).campaign();
        c.processReady();
      }
      case "tick" -> c.tick(Integer.parseInt(a[1]));
      case "deliver" -> c.deliverAll(out);
      case "isolate" -> {
        for (int k = 1; k < a.length; k++) {
          c.isolated.add(id(a[k]));
        }
      }
      case "cut" -> c.cutLinks.add(id(a[1]) * 1000 + id(a[2]));
      case "heal" -> {
        c.isolated.clear();
        c.cutLinks.clear();
      }
      case "propose" -> {
        out.add(c.node(id(a[1])).propose(a[2].getBytes()) ? "ok" : "dropped");
        c.processReady();
      }
      case "read" -> {
        c.node(id(a[1])).readIndex(a[2].getBytes());
        c.processReady();
      }
      case "transfer" -> {
        c.node(id(a[1])).transferLeadership(id(a[2]));
        c.processReady();
      }
      case "conf" -> {
        ConfChange cc = new ConfChange(ConfChangeType.valueOf(a[2]), id(a[3]));
        out.add(c.node(id(a[1])).proposeConfChange(cc) ? "ok" : "refused");
        c.processReady();
      }
      case "snapshot" -> {
        RawNode n = c.node(id(a[1]));
        MemoryLogStorage s = c.storages.get(id(a[1]));
        s.createSnapshot(n.appliedIndex(), n.confState(), new byte[2500]);
        out.add("snapshot at " + n.appliedIndex() + ", first index now " + s.firstIndex());
      }
      case "restart" -> c.restart(id(a[1]));
      case "status" -> {
        for (RawNode n : c.nodes.values()) {
          Raft r = c.raft(n.id());
          out.add(
              String.format(
                  "%d: %s term=%d lead=%d commit=%d applied=%d last=%d voters=%s learners=%s",
                  n.id(),
                  r.role,
                  r.term,
                  r.lead,
                  r.log.committed,
                  r.log.applied,
                  r.log.lastIndex(),
                  r.prs.config.voters(),
                  r.prs.config.learners()));
        }
      }
      default -> throw new IllegalArgumentException("unknown command: " + command);
    }
    StringBuilder sb = new StringBuilder();
    for (String s : c.events) {
      sb.append(s).append('\n');
    }
    for (String s : out) {
      sb.append(s).append('\n');
    }
    c.events.clear();
    return sb.length() == 0 ? "ok\n" : sb.toString();
  }

  private static long id(String s) {
    return Long.parseLong(s);
  }
}
