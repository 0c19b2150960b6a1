package io.kvorum.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The counters a member's server keeps for {@code /metrics}, with the meaning of etcd's metrics of
 * the same names: leader changes seen, proposals failed and pending, and the latency of making the
 * Raft log durable (etcd's WAL fsync; Kvorum's log persist, which commits and syncs the database).
 *
 * <p>Updated by the server's driver thread, read by any thread.
 */
public final class ServerMetrics {
  /** etcd's {@code etcd_disk_wal_fsync_duration_seconds} upper bounds: 1 ms doubling 14 times. */
  private static final double[] FSYNC_BOUNDS = new double[14];

  static {
    for (int i = 0; i < FSYNC_BOUNDS.length; i++) {
      FSYNC_BOUNDS[i] = 0.001 * (1L << i);
    }
  }

  /**
   * A latency histogram as Prometheus exposes it.
   *
   * @param bounds the buckets' upper bounds in seconds, ascending (+Inf is implied)
   * @param cumulative observations at or below each bound
   * @param count all observations (the +Inf bucket)
   * @param sumSeconds the sum of all observations
   */
  public record Histogram(double[] bounds, long[] cumulative, long count, double sumSeconds) {}

  private final LongSupplier pending;
  private final AtomicLong leaderChanges = new AtomicLong();
  private final AtomicLong proposalsFailed = new AtomicLong();
  private final AtomicLongArray fsyncBuckets = new AtomicLongArray(FSYNC_BOUNDS.length + 1);
  private final LongAdder fsyncNanos = new LongAdder();
  private long leader; // driver thread only

  /**
   * @param pending the number of proposals this member made that are not applied yet
   */
  ServerMetrics(LongSupplier pending) {
    this.pending = pending;
  }

  /**
   * Notes the leader the core now knows (0 for none). As etcd counts: a change to a known leader
   * other than the previous one, so losing and regaining the same leader counts again.
   */
  void leader(long now) {
    if (now != 0 && now != leader) {
      leaderChanges.incrementAndGet();
    }
    leader = now;
  }

  /** Proposals that failed without being applied (timed out, no leader). */
  void proposalsFailed(int n) {
    proposalsFailed.addAndGet(n);
  }

  /** One persist of the Raft log that took {@code nanos}. */
  void logPersisted(long nanos) {
    double seconds = nanos / 1e9;
    int i = 0;
    while (i < FSYNC_BOUNDS.length && seconds > FSYNC_BOUNDS[i]) {
      i++;
    }
    fsyncBuckets.incrementAndGet(i);
    fsyncNanos.add(nanos);
  }

  /** {@code etcd_server_leader_changes_seen_total}. */
  public long leaderChanges() {
    return leaderChanges.get();
  }

  /** {@code etcd_server_proposals_failed_total}. */
  public long proposalsFailed() {
    return proposalsFailed.get();
  }

  /** {@code etcd_server_proposals_pending}. */
  public long proposalsPending() {
    return pending.getAsLong();
  }

  /** {@code etcd_disk_wal_fsync_duration_seconds}: Raft log persist latency. */
  public Histogram logPersistDuration() {
    long[] cumulative = new long[FSYNC_BOUNDS.length];
    long total = 0;
    for (int i = 0; i < FSYNC_BOUNDS.length; i++) {
      total += fsyncBuckets.get(i);
      cumulative[i] = total;
    }
    total += fsyncBuckets.get(FSYNC_BOUNDS.length);
    return new Histogram(FSYNC_BOUNDS.clone(), cumulative, total, fsyncNanos.sum() / 1e9);
  }
}
