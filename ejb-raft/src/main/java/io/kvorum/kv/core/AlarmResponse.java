package io.kvorum.kv.core;

import java.util.List;

/** etcdserverpb.AlarmResponse. */
public record AlarmResponse(ResponseHeader header, List<AlarmMember> alarms) implements KvResponse {
  /** etcdserverpb.AlarmMember. */
  public record AlarmMember(long memberId, AlarmRequest.AlarmType alarm) {}

  public AlarmResponse {
    alarms = List.copyOf(alarms);
  }
}
