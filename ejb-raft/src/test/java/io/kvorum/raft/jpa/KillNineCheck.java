package io.kvorum.raft.jpa;

import io.kvorum.raft.core.Entry;
import io.kvorum.raft.core.HardState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A by-hand durability check (not a JUnit test: it needs a process killed with kill -9).
 *
 * <p>{@code write DIR SETTING}: appends one entry per Ready (with the hard state committing it) as
 * fast as it can and prints "acked N" after each {@link JpaLogStorage#persist} returns, until
 * killed. {@code check DIR SETTING ACKFILE}: reopens the database and verifies that every index the
 * writer printed is in the log with its payload, and the hard state's commit covers the last one.
 * SETTING is {@code default} (H2 defaults, COMMIT_ONLY), {@code nodelay} (WRITE_DELAY=0,
 * COMMIT_ONLY), {@code sync} (WRITE_DELAY=0, CHECKPOINT_SYNC) or {@code defaultsync} (H2 defaults,
 * CHECKPOINT_SYNC). The commands are in docs/raft-log-storage.md.
 */
public final class KillNineCheck {
  private KillNineCheck() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    String url = args[2].startsWith("default") ? "" : ";WRITE_DELAY=0";
    SyncMode sync = args[2].endsWith("sync") ? SyncMode.CHECKPOINT_SYNC : SyncMode.COMMIT_ONLY;
    JpaLogStorage.Options options = JpaLogStorage.Options.defaults().withSyncMode(sync);
    try (RaftH2 db = RaftH2.open(dir, url)) {
      JpaLogStorage log = new JpaLogStorage(db.transactions(), options);
      if (args[0].equals("write")) {
        write(log);
      } else {
        System.exit(check(log, Path.of(args[3])) ? 0 : 1);
      }
    }
  }

  static byte[] payload(long index) {
    return ("entry " + index).getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JpaLogStorage log) {
    for (long i = log.lastIndex() + 1; ; i++) {
      log.persist(List.of(), null, List.of(Entry.normal(i, 1, payload(i))), new HardState(1, 1, i));
      System.out.println("acked " + i);
      System.out.flush();
    }
  }

  private static boolean check(JpaLogStorage log, Path ackFile) throws Exception {
    long acked = 0;
    for (String line : Files.readAllLines(ackFile)) {
      if (line.startsWith("acked ") && line.length() > 6) {
        acked = Math.max(acked, Long.parseLong(line.substring(6).trim()));
      }
    }
    long last = log.lastIndex();
    HardState hs = log.hardState();
    long missing = 0;
    for (long i = 1; i <= acked; i++) {
      if (i > last || !log.entries(i, i + 1, Long.MAX_VALUE).get(0).equals(entry(i))) {
        missing++;
      }
    }
    boolean ok = missing == 0 && hs.commit() >= acked;
    System.out.printf(
        "acked %d, log last index %d, hard state commit %d: %d acknowledged entries missing -> %s%n",
        acked, last, hs.commit(), missing, ok ? "OK" : "LOST ACKNOWLEDGED WRITES");
    return ok;
  }

  private static Entry entry(long i) {
    return Entry.normal(i, 1, payload(i));
  }
}
