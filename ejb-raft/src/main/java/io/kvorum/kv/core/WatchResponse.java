package io.kvorum.kv.core;

import java.util.List;

/**
 * etcdserverpb.WatchResponse. A progress response has no events; the one answering a
 * progress_request has watch id -1. {@code fragment} is true on every fragment of a split revision
 * but the last.
 */
public record WatchResponse(
    ResponseHeader header,
    long watchId,
    boolean created,
    boolean canceled,
    long compactRevision,
    String cancelReason,
    boolean fragment,
    List<Event> events) {
  public WatchResponse {
    cancelReason = cancelReason == null ? "" : cancelReason;
    events = List.copyOf(events);
  }

  static WatchResponse events(long rev, long id, boolean fragment, List<Event> events) {
    return new WatchResponse(
        ResponseHeader.ofRevision(rev), id, false, false, 0, "", fragment, events);
  }

  static WatchResponse control(long rev, long id, boolean created, boolean canceled, String why) {
    return new WatchResponse(
        ResponseHeader.ofRevision(rev), id, created, canceled, 0, why, false, List.of());
  }
}
