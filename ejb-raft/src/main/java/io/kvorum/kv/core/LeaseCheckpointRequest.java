package io.kvorum.kv.core;

import java.util.List;

/**
 * etcdserverpb.LeaseCheckpointRequest: the leader's remaining TTLs, applied on every member so a
 * new leader continues from them instead of restarting every lease at its full TTL.
 */
public record LeaseCheckpointRequest(List<LeaseCheckpoint> checkpoints) implements KvRequest {
  /** etcdserverpb.LeaseCheckpoint. */
  public record LeaseCheckpoint(long id, long remainingTtl) {}

  public LeaseCheckpointRequest {
    checkpoints = List.copyOf(checkpoints);
  }
}
