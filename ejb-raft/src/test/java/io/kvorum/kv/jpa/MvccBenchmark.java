package io.kvorum.kv.jpa;

import io.kvorum.kv.core.CommittedEntry;
import io.kvorum.kv.core.CompactionRequest;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.PutRequest;
import io.kvorum.kv.core.RangeRequest;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the JPA store on a file H2 database (PostgreSQL mode, the product's URL flags). Not
 * a timed test: it prints numbers and asserts nothing about them. Run with {@code mvn -B -q -pl
 * ejb-raft -am test -Dtest=MvccBenchmark -Dmvcc.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "mvcc.bench", matches = "true")
class MvccBenchmark {
  private static final byte[] VALUE = new byte[256];

  private static EntityManagerFactory fileDatabase(Path dir) {
    return Persistence.createEntityManagerFactory(
        "kvorum",
        Map.of(
            "jakarta.persistence.transactionType", "RESOURCE_LOCAL",
            "jakarta.persistence.jtaDataSource", "",
            "jakarta.persistence.jdbc.driver", "org.h2.Driver",
            "jakarta.persistence.jdbc.url",
                "jdbc:h2:file:"
                    + dir.resolve("kv")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
            "eclipselink.logging.level", "WARNING"));
  }

  private static long index;

  private static double putsPerSecond(MvccStore s, int batch, int entries, String prefix) {
    long start = System.nanoTime();
    for (int done = 0; done < entries; done += batch) {
      List<CommittedEntry> b = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        b.add(
            new CommittedEntry(
                ++index,
                new PutRequest(
                    (prefix + ((done + i) % 10_000)).getBytes(), VALUE, 0, false, false, false)));
      }
      s.applyBatch(b);
    }
    return entries / ((System.nanoTime() - start) / 1e9);
  }

  @Test
  void benchmark() throws Exception {
    Path dir = Files.createTempDirectory("mvcc-bench");
    EntityManagerFactory emf = fileDatabase(dir);
    JpaTransactions tx = new ResourceLocalTransactions(emf);
    MvccStore s = MvccStore.open(new JpaKvBackend(tx), KvConfig.defaults());
    putsPerSecond(s, 10, 5_000, "warm/");
    System.out.printf("BENCH batch=1   %.0f entries/s%n", putsPerSecond(s, 1, 3_000, "b1/"));
    System.out.printf("BENCH batch=10  %.0f entries/s%n", putsPerSecond(s, 10, 20_000, "b10/"));
    System.out.printf("BENCH batch=100 %.0f entries/s%n", putsPerSecond(s, 100, 50_000, "b100/"));

    // 1M revisions: 10,000 keys "r/0000".."r/9999" written 100 times each, in batches of 1000.
    long load = System.nanoTime();
    int keys = 10_000;
    while (s.currentRevision() < 1_000_000) {
      List<CommittedEntry> b = new ArrayList<>(1000);
      for (int i = 0; i < 1000; i++) {
        long n = index;
        b.add(
            new CommittedEntry(
                ++index,
                new PutRequest(
                    String.format("r/%04d", n % keys).getBytes(), VALUE, 0, false, false, false)));
      }
      s.applyBatch(b);
    }
    System.out.printf(
        "BENCH loaded to revision %d in %.1f s%n",
        s.currentRevision(), (System.nanoTime() - load) / 1e9);
    long open = System.nanoTime();
    s = MvccStore.open(new JpaKvBackend(tx), KvConfig.defaults());
    System.out.printf(
        "BENCH reopen (key index rebuilt from %d revisions) %.1f s%n",
        s.currentRevision() - 1, (System.nanoTime() - open) / 1e9);
    for (String mode : List.of("current", "past")) {
      int ranges = 2000;
      long start = System.nanoTime();
      long rows = 0;
      for (int i = 0; i < ranges; i++) {
        int from = (i * 97) % (keys - 100);
        RangeRequest r =
            RangeRequest.of(
                String.format("r/%04d", from).getBytes(),
                String.format("r/%04d", from + 100).getBytes());
        if (mode.equals("past")) {
          r = r.withRevision(s.currentRevision() - 500_000 - i);
        }
        rows += s.range(r).kvs().size();
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "BENCH range 100 keys (%s revision) %.0f ranges/s, %.2f ms each, %d rows%n",
          mode, ranges / secs, secs * 1000 / ranges, rows);
    }
    long compactAt = s.currentRevision() - 100_000;
    long compact = System.nanoTime();
    s.apply(++index, new CompactionRequest(compactAt, true));
    System.out.printf(
        "BENCH compaction entry to revision %d applied (logical + first 1,000-row chunk) %.2f s%n",
        compactAt, (System.nanoTime() - compact) / 1e9);
    long drain = System.nanoTime();
    int chunks = 1;
    while (s.compactStep()) {
      chunks++;
    }
    double drainSecs = (System.nanoTime() - drain) / 1e9;
    System.out.printf(
        "BENCH physical deletion %d chunks in %.1f s (%.1f ms per 1,000-row chunk)%n",
        chunks, drainSecs, drainSecs * 1000 / chunks);
    long hash = System.nanoTime();
    s.hashKv(0);
    System.out.printf("BENCH HashKV over ~110k rows %.1f s%n", (System.nanoTime() - hash) / 1e9);
    emf.close();
  }
}
