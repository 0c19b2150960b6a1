package io.kvorum.kv.core;

import java.util.List;

/**
 * The store's metadata, written in the same storage transaction as the KV changes of a batch:
 * {@code appliedIndex} is the last Raft index applied (entries at or below it are skipped on
 * re-apply), {@code currentRevision} the store revision, {@code compactRevision} the last
 * compaction (-1 = none, as etcd's compactMainRev; a compaction at 0 is a real one), {@code alarms}
 * the raised alarms.
 */
public record StoreMeta(
    long appliedIndex,
    long currentRevision,
    long compactRevision,
    List<AlarmResponse.AlarmMember> alarms) {
  public static final StoreMeta EMPTY = new StoreMeta(0, 1, -1, List.of());

  public StoreMeta {
    alarms = List.copyOf(alarms);
  }
}
