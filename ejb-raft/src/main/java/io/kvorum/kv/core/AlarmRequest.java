package io.kvorum.kv.core;

/** etcdserverpb.AlarmRequest. */
public record AlarmRequest(AlarmAction action, long memberId, AlarmType alarm)
    implements KvRequest {
  public enum AlarmAction {
    GET,
    ACTIVATE,
    DEACTIVATE
  }

  public enum AlarmType {
    NONE,
    NOSPACE,
    CORRUPT
  }
}
