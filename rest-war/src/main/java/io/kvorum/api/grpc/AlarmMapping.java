package io.kvorum.api.grpc;

import io.kvorum.api.pb.etcdserverpb.AlarmMember;
import io.kvorum.api.pb.etcdserverpb.AlarmResponse;
import io.kvorum.api.pb.etcdserverpb.AlarmType;
import io.kvorum.kv.core.AlarmRequest;

/** etcd's alarm messages to the MVCC core's and back, and the text Status shows for an alarm. */
final class AlarmMapping {
  private AlarmMapping() {}

  /**
   * The core's request, or null for an action or alarm type etcd 3.4 does not know (its applier
   * then answers an empty response).
   */
  static AlarmRequest request(io.kvorum.api.pb.etcdserverpb.AlarmRequest r) {
    int action = r.getActionValue();
    int alarm = r.getAlarmValue();
    if (action < 0
        || action >= AlarmRequest.AlarmAction.values().length
        || alarm < 0
        || alarm >= AlarmRequest.AlarmType.values().length) {
      return null;
    }
    return new AlarmRequest(
        AlarmRequest.AlarmAction.values()[action],
        r.getMemberID(),
        AlarmRequest.AlarmType.values()[alarm]);
  }

  /** etcd 3.4's AlarmResponse carries no header (its gateway prints {@code {"alarms":[...]}}). */
  static AlarmResponse response(io.kvorum.kv.core.AlarmResponse r) {
    AlarmResponse.Builder b = AlarmResponse.newBuilder();
    for (io.kvorum.kv.core.AlarmResponse.AlarmMember a : r.alarms()) {
      b.addAlarms(member(a));
    }
    return b.build();
  }

  static AlarmMember member(io.kvorum.kv.core.AlarmResponse.AlarmMember a) {
    return AlarmMember.newBuilder()
        .setMemberID(a.memberId())
        .setAlarmValue(a.alarm().ordinal())
        .build();
  }

  /**
   * An alarm as etcd's Status lists it in {@code errors}: gogo-protobuf's compact text form of the
   * AlarmMember, zero fields left out, each field followed by a space: {@code
   * "memberID:3211106759432434375 alarm:NOSPACE "}, {@code "memberID:5 "} for NONE.
   */
  static String text(io.kvorum.kv.core.AlarmResponse.AlarmMember a) {
    StringBuilder s = new StringBuilder();
    if (a.memberId() != 0) {
      s.append("memberID:").append(Long.toUnsignedString(a.memberId())).append(' ');
    }
    if (a.alarm() != AlarmRequest.AlarmType.NONE) {
      s.append("alarm:").append(AlarmType.forNumber(a.alarm().ordinal()).name()).append(' ');
    }
    return s.toString();
  }
}
