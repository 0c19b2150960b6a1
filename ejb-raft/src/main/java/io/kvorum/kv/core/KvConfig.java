package io.kvorum.kv.core;

/**
 * The MVCC settings taken from the etcd configuration, validated at construction; an invalid value
 * fails naming its etcd key.
 *
 * @param maxTxnOps {@code max-txn-ops} (etcd default 128)
 * @param maxRequestBytes {@code max-request-bytes} (etcd default 1.5 MiB)
 * @param quotaBackendBytes {@code quota-backend-bytes}: 0 = etcd's default 2 GiB, negative = off
 * @param minLeaseTtl the minimum lease TTL in seconds, see {@link #minLeaseTtl(long, long)}
 * @param watchRingEvents recent events kept in memory for watchers; older ones are read back from
 *     storage
 */
public record KvConfig(
    int maxTxnOps,
    long maxRequestBytes,
    long quotaBackendBytes,
    long minLeaseTtl,
    int watchRingEvents) {
  public static final long DEFAULT_QUOTA_BYTES = 2L * 1024 * 1024 * 1024;
  public static final long MAX_LEASE_TTL = 9_000_000_000L;

  public KvConfig {
    if (maxTxnOps <= 0) {
      throw new IllegalArgumentException("max-txn-ops must be positive: " + maxTxnOps);
    }
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException("max-request-bytes must be positive: " + maxRequestBytes);
    }
    if (minLeaseTtl <= 0) {
      throw new IllegalArgumentException(
          "election-timeout gives a non-positive minimum lease TTL: " + minLeaseTtl);
    }
    if (watchRingEvents <= 0) {
      throw new IllegalArgumentException("watch ring size must be positive: " + watchRingEvents);
    }
  }

  /** etcd's defaults: 128 ops, 1.5 MiB requests, 2 GiB quota, heartbeat 100 ms, election 1 s. */
  public static KvConfig defaults() {
    return new KvConfig(128, 1536 * 1024, 0, minLeaseTtl(100, 1000), 4096);
  }

  /**
   * etcd's minimum lease TTL: (3 × election ticks / 2) heartbeats, rounded up to whole seconds
   * (heartbeat 100 ms, election 1000 ms → 2 s).
   */
  public static long minLeaseTtl(long heartbeatMillis, long electionMillis) {
    if (heartbeatMillis <= 0) {
      throw new IllegalArgumentException("heartbeat-interval must be positive: " + heartbeatMillis);
    }
    if (electionMillis < heartbeatMillis) {
      throw new IllegalArgumentException(
          "election-timeout must be at least heartbeat-interval: " + electionMillis);
    }
    long ticks = electionMillis / heartbeatMillis;
    long millis = (3 * ticks / 2) * heartbeatMillis;
    return (millis + 999) / 1000;
  }

  public KvConfig withQuotaBackendBytes(long q) {
    return new KvConfig(maxTxnOps, maxRequestBytes, q, minLeaseTtl, watchRingEvents);
  }

  public KvConfig withWatchRingEvents(int n) {
    return new KvConfig(maxTxnOps, maxRequestBytes, quotaBackendBytes, minLeaseTtl, n);
  }

  /** The effective quota in bytes, or {@code Long.MAX_VALUE} when disabled. */
  long effectiveQuota() {
    if (quotaBackendBytes < 0) {
      return Long.MAX_VALUE;
    }
    return quotaBackendBytes == 0 ? DEFAULT_QUOTA_BYTES : quotaBackendBytes;
  }
}
