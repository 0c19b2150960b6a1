package io.kvorum.kv.core;

import java.util.List;

/**
 * etcdserverpb.WatchCreateRequest. {@code startRevision} 0 means "from now"; {@code watchId} 0 lets
 * the stream assign one.
 */
public record WatchCreateRequest(
    byte[] key,
    byte[] rangeEnd,
    long startRevision,
    boolean progressNotify,
    List<FilterType> filters,
    boolean prevKv,
    long watchId,
    boolean fragment) {
  public enum FilterType {
    NOPUT,
    NODELETE
  }

  public WatchCreateRequest {
    key = key == null ? Bytes.EMPTY : key;
    rangeEnd = rangeEnd == null ? Bytes.EMPTY : rangeEnd;
    filters = filters == null ? List.of() : List.copyOf(filters);
  }

  public static WatchCreateRequest of(byte[] key, byte[] rangeEnd, long startRevision) {
    return new WatchCreateRequest(key, rangeEnd, startRevision, false, null, false, 0, false);
  }
}
