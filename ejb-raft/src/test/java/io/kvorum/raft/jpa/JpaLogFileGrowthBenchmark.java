package io.kvorum.raft.jpa;

import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.HardState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Size of the H2 file under sustained single-entry Readys (with a snapshot every 1000 entries, so
 * the live data stays small), per H2 setting. With WRITE_DELAY=0 every commit writes its own store
 * chunk, and H2 keeps replaced chunks for RETENTION_TIME (45 s by default) before reusing their
 * space: the file grows to about commits/s x retention x chunk size, then stays there. Not a timed
 * test: it prints sizes and asserts nothing. Run with:
 *
 * <pre>
 * mvn -B -q -pl ejb-raft -am test -Dtest=JpaLogFileGrowthBenchmark -Draft.bench=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Draft.bench.readys=24000 -Draft.bench.rate=300]
 * </pre>
 */
@EnabledIfSystemProperty(named = "raft.bench", matches = "true")
class JpaLogFileGrowthBenchmark {
  private record Setting(String url, SyncMode sync) {}

  @Test
  void fileSizeUnderSustainedWrites() throws Exception {
    int readys = Integer.getInteger("raft.bench.readys", 24_000);
    int rate = Integer.getInteger("raft.bench.rate", 300);
    for (Setting s :
        List.of(
            new Setting("", SyncMode.COMMIT_ONLY),
            new Setting(";WRITE_DELAY=0", SyncMode.CHECKPOINT_SYNC),
            new Setting(";WRITE_DELAY=0;RETENTION_TIME=5000", SyncMode.CHECKPOINT_SYNC))) {
      Path dir = Files.createTempDirectory("raft-growth");
      Path file = dir.resolve("raft.mv.db");
      try (RaftH2 db = RaftH2.open(dir, s.url())) {
        JpaLogStorage log =
            new JpaLogStorage(
                db.transactions(), JpaLogStorage.Options.defaults().withSyncMode(s.sync()));
        long start = System.nanoTime();
        for (long i = 1; i <= readys; i++) {
          long due = start + i * 1_000_000_000L / rate;
          while (System.nanoTime() < due) {
            Thread.sleep(1);
          }
          log.persist(
              List.of(), null, List.of(Entry.normal(i, 1, new byte[256])), new HardState(1, 1, i));
          if (i % 1000 == 0) {
            log.createSnapshot(i - 100, ConfState.ofVoters(1L), new byte[4096]);
          }
          if (i % (readys / 8) == 0) {
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                "%-36s %-15s %6d Readys in %3.0f s (%4.0f/s): file %6.1f MB%n",
                s.url().isEmpty() ? "(H2 defaults)" : s.url(),
                s.sync(),
                i,
                secs,
                i / secs,
                Files.size(file) / 1e6);
          }
        }
      }
      System.out.printf("  after close: %.1f MB%n", Files.size(file) / 1e6);
      RaftH2.deleteDirectory(dir);
    }
  }
}
