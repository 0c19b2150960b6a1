package io.kvorum.server;

import io.kvorum.kv.core.AutoCompactor;
import io.kvorum.kv.core.CompactionRequest;
import io.kvorum.kv.core.LeaseCheckpointRequest;
import io.kvorum.kv.core.LeaseRevokeRequest;
import io.kvorum.kv.core.MvccStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the leader decides for everyone and proposes through the log, so every member applies it at
 * the same revision: revoking expired leases, checkpointing remaining TTLs, auto-compaction ({@code
 * auto-compaction-mode}/{@code -retention}). Also, on every member, the physical removal of
 * compacted revisions, off the driver thread. Driver thread only, except the removal task.
 */
final class LeaderDuties {
  private static final Logger LOG = Logger.getLogger(LeaderDuties.class.getName());

  private final ServerOptions options;
  private final MvccStore store;
  private final Executor background;

  /** Leases whose revoke was proposed, with when: proposed again after the request timeout. */
  private final Map<Long, Long> revoking = new HashMap<>();

  private final AtomicBoolean compacting = new AtomicBoolean();
  private AutoCompactor autoCompactor;
  private long nextAutoCompactPoll;

  LeaderDuties(ServerOptions options, MvccStore store, Executor background) {
    this.options = options;
    this.store = store;
    this.background = background;
  }

  void setAutoCompactor(AutoCompactor compactor) {
    this.autoCompactor = compactor;
  }

  /** This member became leader: revokes proposed by an earlier leadership are forgotten. */
  void becameLeader() {
    revoking.clear();
  }

  /** A revoke of {@code lease} was committed. */
  void revoked(long lease) {
    revoking.remove(lease);
  }

  /** The proposals the leader owes at this tick (encoded envelopes; empty if none). */
  List<byte[]> proposals() {
    long now = options.clock().getAsLong();
    List<byte[]> batch = new ArrayList<>();
    for (long lease : store.lessor().expired(now, 16)) {
      Long since = revoking.get(lease);
      if (since == null || now - since > options.requestTimeoutMillis()) {
        revoking.put(lease, now);
        batch.add(new Envelope(options.id(), 0, new LeaseRevokeRequest(lease)).encode());
      }
    }
    LeaseCheckpointRequest cps =
        store.lessor().checkpoints(now, options.leaseCheckpointIntervalMillis(), 64);
    if (cps != null) {
      batch.add(new Envelope(options.id(), 0, cps).encode());
    }
    if (autoCompactor != null && now >= nextAutoCompactPoll) {
      nextAutoCompactPoll = now + autoCompactor.pollIntervalMillis();
      long rev = autoCompactor.poll(now, store.currentRevision(), store.compactRevision());
      if (rev > 0) {
        batch.add(new Envelope(options.id(), 0, new CompactionRequest(rev, false)).encode());
      }
    }
    return batch;
  }

  /**
   * A compaction is applied logically at once; its rows are deleted afterwards in chunks (each a
   * short transaction holding the store), one chunk at a time in the background so heartbeats keep
   * their rhythm.
   */
  void removeCompactedRevisions() {
    if (!compacting.compareAndSet(false, true)) {
      return;
    }
    background.execute(
        () -> {
          try {
            store.compactStep();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "removing compacted revisions failed", e);
          } finally {
            compacting.set(false);
          }
        });
  }
}
