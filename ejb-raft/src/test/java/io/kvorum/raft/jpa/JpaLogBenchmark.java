package io.kvorum.raft.jpa;

import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.HardState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Cost of the per-Ready log write under each H2 durability setting: commits per second and the
 * latency of {@link JpaLogStorage#persist} for a Ready of 1 entry and of 100 entries (256-byte
 * payloads, plus the hard state), and the device's raw fsync for comparison. Not a timed test: it
 * prints numbers and asserts nothing about them. Run with:
 *
 * <pre>
 * mvn -B -q -pl ejb-raft -am test -Dtest=JpaLogBenchmark -Draft.bench=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "raft.bench", matches = "true")
class JpaLogBenchmark {
  private static final byte[] PAYLOAD = new byte[256];

  private record Setting(String name, String url, SyncMode sync) {}

  private static final List<Setting> SETTINGS =
      List.of(
          new Setting("(a) H2 defaults (WRITE_DELAY 500)", "", SyncMode.COMMIT_ONLY),
          new Setting("(b) WRITE_DELAY=0", ";WRITE_DELAY=0", SyncMode.COMMIT_ONLY),
          new Setting(
              "(c) WRITE_DELAY=0 + CHECKPOINT SYNC", ";WRITE_DELAY=0", SyncMode.CHECKPOINT_SYNC),
          new Setting("(d) defaults + CHECKPOINT SYNC", "", SyncMode.CHECKPOINT_SYNC));

  @Test
  void logWriteCostPerDurabilitySetting() throws IOException {
    int singles = Integer.getInteger("raft.bench.singles", 2000);
    int batches = Integer.getInteger("raft.bench.batches", 300);
    System.out.printf("raw fsync of a 4 KiB write: %s%n", rawFsync(300));
    for (Setting s : SETTINGS) {
      for (int perReady : new int[] {1, 100}) {
        Path dir = Files.createTempDirectory("raft-bench");
        try (RaftH2 db = RaftH2.open(dir, s.url())) {
          JpaLogStorage log =
              new JpaLogStorage(
                  db.transactions(), JpaLogStorage.Options.defaults().withSyncMode(s.sync()));
          int n = perReady == 1 ? singles : batches;
          write(log, perReady, n / 5); // warm-up
          long[] nanos = write(log, perReady, n);
          long total = Arrays.stream(nanos).sum();
          System.out.printf(
              "%-38s %3d entries/Ready: %7.0f Readys/s, %8.0f entries/s, latency %s%n",
              s.name(),
              perReady,
              n / (total / 1e9),
              n * perReady / (total / 1e9),
              percentiles(nanos));
        }
        RaftH2.deleteDirectory(dir);
      }
    }
  }

  private static long[] write(JpaLogStorage log, int perReady, int readys) {
    long[] nanos = new long[readys];
    for (int r = 0; r < readys; r++) {
      long first = log.lastIndex() + 1;
      List<Entry> ents = new ArrayList<>(perReady);
      for (int i = 0; i < perReady; i++) {
        ents.add(Entry.normal(first + i, 1, PAYLOAD));
      }
      long start = System.nanoTime();
      log.persist(List.of(), null, ents, new HardState(1, 1, first));
      nanos[r] = System.nanoTime() - start;
    }
    return nanos;
  }

  private static String rawFsync(int n) throws IOException {
    Path f = Files.createTempFile("raft-bench", ".bin");
    long[] nanos = new long[n];
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      byte[] page = new byte[4096];
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        raf.write(page);
        raf.getChannel().force(true);
        nanos[i] = System.nanoTime() - start;
      }
    } finally {
      Files.delete(f);
    }
    return percentiles(nanos);
  }

  private static String percentiles(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format(
        "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
        s[s.length / 2] / 1e6,
        s[s.length * 9 / 10] / 1e6,
        s[s.length * 99 / 100] / 1e6,
        s[s.length - 1] / 1e6);
  }
}
