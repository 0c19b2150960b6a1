package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leases (etcd's lessor). Grant, revoke and checkpoint are applied through the log, so every
 * member holds the same leases, TTLs, remaining TTLs and attached keys. Expiry is decided only by
 * the leader ("primary"): it calls {@link #expired} and proposes a {@link LeaseRevokeRequest} for
 * each id, and proposes {@link #checkpoints} so that a new leader continues every lease from its
 * checkpointed remaining TTL instead of restarting it at its full TTL.
 *
 * <p>Time is the caller's monotonic clock in milliseconds. Threading: all methods are synchronized;
 * callers may hold the store's lock (the order is always store, then lessor).
 */
public final class Lessor {
  private static final long UNSET = Long.MIN_VALUE;

  private static final class Lease {
    final long id;
    final long ttl;
    long remainingTtl;
    final TreeSet<byte[]> keys = new TreeSet<>(Bytes::compare);
    long expiryMillis = UNSET;
    long lastCheckpointMillis = UNSET;
    boolean checkpointDue;

    Lease(long id, long ttl, long remainingTtl) {
      this.id = id;
      this.ttl = ttl;
      this.remainingTtl = remainingTtl;
    }

    LeaseRecord record() {
      return new LeaseRecord(id, ttl, remainingTtl);
    }
  }

  private final long minTtl;
  private final TreeMap<Long, Lease> leases = new TreeMap<>();
  private boolean primary;
  private boolean failed;

  Lessor(long minTtl) {
    this.minTtl = minTtl;
  }

  // ---- applied state (deterministic)

  synchronized boolean exists(long id) {
    return leases.containsKey(id);
  }

  /** Forgets every lease (before a snapshot is restored); a primary stays primary. */
  synchronized void clear() {
    leases.clear();
    failed = false;
  }

  synchronized void restore(LeaseRecord r) {
    leases.put(r.id(), new Lease(r.id(), r.ttl(), r.remainingTtl()));
  }

  synchronized LeaseRecord grant(long id, long ttl) {
    Lease l = new Lease(id, Math.max(ttl, minTtl), 0);
    leases.put(id, l);
    return l.record();
  }

  synchronized void revoke(long id) {
    leases.remove(id);
  }

  /** Records a checkpointed remaining TTL; returns the updated lease, or null if unknown. */
  synchronized LeaseRecord checkpoint(long id, long remainingTtl) {
    Lease l = leases.get(id);
    if (l == null) {
      return null;
    }
    l.remainingTtl = remainingTtl;
    return l.record();
  }

  synchronized void attach(long id, byte[] key) {
    Lease l = leases.get(id);
    if (l != null) {
      l.keys.add(key);
    }
  }

  synchronized void detach(long id, byte[] key) {
    Lease l = leases.get(id);
    if (l != null) {
      l.keys.remove(key);
    }
  }

  /** The attached keys in key order (etcd revokes them sorted). */
  synchronized List<byte[]> keys(long id) {
    Lease l = leases.get(id);
    return l == null ? List.of() : new ArrayList<>(l.keys);
  }

  /** A lease id for a grant with id 0, derived from the Raft index so every member agrees. */
  synchronized long generateId(long raftIndex) {
    long x = raftIndex * 0x9E3779B97F4A7C15L;
    x ^= x >>> 31;
    x &= Long.MAX_VALUE;
    if (x == 0) {
      x = 1;
    }
    while (leases.containsKey(x)) {
      x = (x + 1) & Long.MAX_VALUE;
    }
    return x;
  }

  synchronized List<LeaseRecord> records() {
    List<LeaseRecord> out = new ArrayList<>();
    for (Lease l : leases.values()) {
      out.add(l.record());
    }
    return out;
  }

  /**
   * The store's commit failed: these leases may hold grants, revokes and checkpoints that never
   * reached storage, so the leader-side calls refuse until the store is reopened (with a new
   * lessor).
   */
  synchronized void fail() {
    failed = true;
  }

  private void checkUsable() {
    if (failed) {
      throw new IllegalStateException("store failed earlier; reopen it from its backend");
    }
  }

  // ---- leader-side, not replicated

  /**
   * This member became leader: every lease expires after its checkpointed remaining TTL, or its
   * full TTL if never checkpointed.
   */
  public synchronized void promote(long nowMillis) {
    checkUsable();
    primary = true;
    for (Lease l : leases.values()) {
      long secs = l.remainingTtl > 0 ? l.remainingTtl : l.ttl;
      l.expiryMillis = nowMillis + secs * 1000;
      l.lastCheckpointMillis = nowMillis;
    }
  }

  /** This member is no longer leader: it stops deciding expiry. */
  public synchronized void demote() {
    primary = false;
    for (Lease l : leases.values()) {
      l.expiryMillis = UNSET;
    }
  }

  public synchronized boolean isPrimary() {
    return primary;
  }

  private void startTimers(long nowMillis) {
    for (Lease l : leases.values()) {
      if (l.expiryMillis == UNSET) {
        long secs = l.remainingTtl > 0 ? l.remainingTtl : l.ttl;
        l.expiryMillis = nowMillis + secs * 1000;
        l.lastCheckpointMillis = nowMillis;
      }
    }
  }

  /**
   * Renews a lease on the leader (LeaseKeepAlive).
   *
   * @return the lease's TTL, or 0 for an unknown or already expired lease (etcd answers TTL 0, not
   *     an error)
   * @throws KvException FAILED_PRECONDITION "etcdserver: not leader" on a non-leader
   */
  public synchronized long keepAlive(long id, long nowMillis) {
    checkUsable();
    if (!primary) {
      throw new KvException(KvException.Code.FAILED_PRECONDITION, "etcdserver: not leader");
    }
    Lease l = leases.get(id);
    if (l == null) {
      return 0;
    }
    if (l.expiryMillis != UNSET && l.expiryMillis <= nowMillis) {
      // expired, its revoke is on the way: etcd waits for it and then answers "not found"
      return 0;
    }
    l.expiryMillis = nowMillis + l.ttl * 1000;
    l.checkpointDue = l.remainingTtl > 0;
    return l.ttl;
  }

  /**
   * The leases that have expired at {@code nowMillis}, at most {@code max}, for the leader to
   * propose revoking. Empty on a non-leader. A lease granted since the last call starts its timer
   * here.
   */
  public synchronized List<Long> expired(long nowMillis, int max) {
    checkUsable();
    List<Long> out = new ArrayList<>();
    if (!primary) {
      return out;
    }
    startTimers(nowMillis);
    for (Lease l : leases.values()) {
      if (out.size() >= max) {
        break;
      }
      if (l.expiryMillis <= nowMillis) {
        out.add(l.id);
      }
    }
    return out;
  }

  /**
   * The checkpoints the leader should propose now: leases renewed since their last checkpoint, and
   * leases not checkpointed for {@code intervalMillis}. Null when there is nothing to propose or
   * this member is not the leader.
   */
  public synchronized LeaseCheckpointRequest checkpoints(
      long nowMillis, long intervalMillis, int max) {
    checkUsable();
    if (!primary) {
      return null;
    }
    startTimers(nowMillis);
    List<LeaseCheckpointRequest.LeaseCheckpoint> cps = new ArrayList<>();
    for (Lease l : leases.values()) {
      if (cps.size() >= max) {
        break;
      }
      long remaining = remainingSeconds(l, nowMillis);
      if (remaining <= 0) {
        continue;
      }
      if (l.checkpointDue || nowMillis - l.lastCheckpointMillis >= intervalMillis) {
        cps.add(new LeaseCheckpointRequest.LeaseCheckpoint(l.id, remaining));
        l.checkpointDue = false;
        l.lastCheckpointMillis = nowMillis;
      }
    }
    return cps.isEmpty() ? null : new LeaseCheckpointRequest(cps);
  }

  private static long remainingSeconds(Lease l, long nowMillis) {
    return Math.max(0, (l.expiryMillis - nowMillis + 999) / 1000);
  }

  /**
   * LeaseTimeToLive: on the leader the remaining TTL from its timer; elsewhere the last
   * checkpointed remaining TTL (or the full TTL). An unknown lease gives TTL -1, as etcd.
   */
  public synchronized LeaseTimeToLiveResponse timeToLive(
      long id, boolean withKeys, long nowMillis) {
    checkUsable();
    Lease l = leases.get(id);
    if (l == null) {
      return new LeaseTimeToLiveResponse(ResponseHeader.ofRevision(0), id, -1, 0, List.of());
    }
    long ttl;
    if (primary && l.expiryMillis != UNSET) {
      ttl = Math.max(0, (l.expiryMillis - nowMillis) / 1000);
    } else {
      ttl = l.remainingTtl > 0 ? l.remainingTtl : l.ttl;
    }
    List<byte[]> keys = withKeys ? new ArrayList<>(l.keys) : List.of();
    return new LeaseTimeToLiveResponse(ResponseHeader.ofRevision(0), id, ttl, l.ttl, keys);
  }

  /** LeaseLeases: every lease id, ascending. */
  public synchronized List<Long> leases() {
    checkUsable();
    return new ArrayList<>(leases.keySet());
  }
}
