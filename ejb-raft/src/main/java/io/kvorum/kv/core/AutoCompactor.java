package io.kvorum.kv.core;

import java.util.ArrayDeque;

/**
 * etcd 3.4's auto-compaction (compactor/periodic.go and revision.go) as a pure decision: the leader
 * calls {@link #poll} from its timer with its monotonic time and proposes a {@link
 * CompactionRequest} for the revision it returns. Followers do not call it.
 *
 * <p>Periodic mode keeps {@code retention} worth of history: the current revision is sampled every
 * tenth of the period (at most every 6 minutes), and once a period has passed since the last
 * compaction the oldest sample, taken one period ago, is compacted. Revision mode keeps the last
 * {@code retention} revisions, checked every 5 minutes.
 *
 * <p>Threading: not thread-safe; one timer calls it.
 */
public final class AutoCompactor {
  /** {@code auto-compaction-mode}. */
  public enum Mode {
    PERIODIC,
    REVISION
  }

  static final long REVISION_INTERVAL_MILLIS = 5 * 60_000;

  private final Mode mode;
  private final long periodMillis;
  private final long retainRevisions;
  private final ArrayDeque<Long> samples = new ArrayDeque<>();
  private boolean started;
  private long lastSample;
  private long lastSuccess;
  private long baseInterval;
  private long lastRevision;

  private AutoCompactor(Mode mode, long periodMillis, long retainRevisions) {
    this.mode = mode;
    this.periodMillis = periodMillis;
    this.retainRevisions = retainRevisions;
    this.baseInterval = periodMillis;
  }

  /**
   * From the etcd keys {@code auto-compaction-mode} ("periodic" or "revision") and {@code
   * auto-compaction-retention} (periodic: a duration like "1h", "30m", "90s" or a bare number of
   * hours; revision: a number of revisions). Returns null when the retention is 0 (disabled).
   *
   * @throws IllegalArgumentException naming the key for an invalid value
   */
  public static AutoCompactor fromConfig(String mode, String retention) {
    String m = mode == null || mode.isEmpty() ? "periodic" : mode;
    String r = retention == null || retention.isEmpty() ? "0" : retention.trim();
    try {
      if (m.equals("revision")) {
        long n = Long.parseLong(r);
        if (n < 0) {
          throw new IllegalArgumentException();
        }
        return n == 0 ? null : new AutoCompactor(Mode.REVISION, 0, n);
      }
      if (!m.equals("periodic")) {
        throw new IllegalArgumentException(
            "auto-compaction-mode must be 'periodic' or 'revision': " + mode);
      }
      long millis = parseDuration(r);
      return millis == 0 ? null : new AutoCompactor(Mode.PERIODIC, millis, 0);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("auto-compaction-retention is invalid: " + retention);
    }
  }

  private static long parseDuration(String r) {
    char unit = r.charAt(r.length() - 1);
    if (Character.isDigit(unit)) {
      return Math.round(Double.parseDouble(r) * 3_600_000);
    }
    double n = Double.parseDouble(r.substring(0, r.length() - 1));
    long scale =
        switch (unit) {
          case 'h' -> 3_600_000;
          case 'm' -> 60_000;
          case 's' -> 1000;
          default -> throw new NumberFormatException(r);
        };
    long millis = Math.round(n * scale);
    if (millis < 0) {
      throw new NumberFormatException(r);
    }
    return millis;
  }

  public Mode mode() {
    return mode;
  }

  /** How often the caller should call {@link #poll}, in milliseconds. */
  public long pollIntervalMillis() {
    return mode == Mode.REVISION ? REVISION_INTERVAL_MILLIS : retryInterval();
  }

  private long retryInterval() {
    return Math.max(1, Math.min(periodMillis, 3_600_000) / 10);
  }

  /**
   * The revision to compact now, or 0 for nothing. Assumes the caller proposes it; a compaction the
   * store rejects (already compacted) is harmless.
   */
  public long poll(long nowMillis, long currentRevision, long compactRevision) {
    if (mode == Mode.REVISION) {
      long rev = currentRevision - retainRevisions;
      if (rev <= 0 || rev == lastRevision || rev <= compactRevision) {
        return 0;
      }
      lastRevision = rev;
      return rev;
    }
    if (!started) {
      started = true;
      lastSuccess = nowMillis;
      lastSample = nowMillis;
      samples.addLast(currentRevision);
      return 0;
    }
    long result = 0;
    if (nowMillis - lastSuccess >= baseInterval && !samples.isEmpty()) {
      // the oldest sample was taken one period ago
      baseInterval = Math.min(periodMillis, 3_600_000);
      lastSuccess = nowMillis;
      long rev = samples.peekFirst();
      result = rev > compactRevision ? rev : 0;
    }
    if (nowMillis - lastSample >= retryInterval()) {
      samples.addLast(currentRevision);
      long retentions = periodMillis / retryInterval();
      while (samples.size() > retentions) {
        samples.removeFirst();
      }
      lastSample = nowMillis;
    }
    return result;
  }
}
