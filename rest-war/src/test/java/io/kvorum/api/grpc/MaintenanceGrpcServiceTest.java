package io.kvorum.api.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvorum.api.pb.etcdserverpb.AlarmMember;
import io.kvorum.api.pb.etcdserverpb.AlarmRequest;
import io.kvorum.api.pb.etcdserverpb.AlarmResponse;
import io.kvorum.api.pb.etcdserverpb.AlarmType;
import io.kvorum.api.pb.etcdserverpb.DefragmentRequest;
import io.kvorum.api.pb.etcdserverpb.DefragmentResponse;
import io.kvorum.api.pb.etcdserverpb.HashKVRequest;
import io.kvorum.api.pb.etcdserverpb.HashKVResponse;
import io.kvorum.api.pb.etcdserverpb.HashRequest;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.PutRequest;
import io.kvorum.api.pb.etcdserverpb.SnapshotRequest;
import io.kvorum.api.pb.etcdserverpb.SnapshotResponse;
import io.kvorum.api.pb.etcdserverpb.StatusRequest;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import io.kvorum.kv.core.CompactionRequest;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.MemoryKvBackend;
import io.kvorum.kv.core.MvccStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Maintenance over real gRPC against a single member; every error code and message was first read
 * from etcd 3.4.23 (etcdctl and its JSON gateway on loopback).
 */
class MaintenanceGrpcServiceTest {
  private OneMember m;
  private MaintenanceGrpc.MaintenanceBlockingStub maintenance;
  private KVGrpc.KVBlockingStub kv;

  @BeforeEach
  void start() throws Exception {
    m = new OneMember();
    maintenance = MaintenanceGrpc.newBlockingStub(m.channel);
    kv = KVGrpc.newBlockingStub(m.channel);
  }

  @AfterEach
  void stop() throws Exception {
    m.close();
  }

  private long put(String k, String v) {
    return kv.put(
            PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(k))
                .setValue(ByteString.copyFromUtf8(v))
                .build())
        .getHeader()
        .getRevision();
  }

  private static void assertStatus(
      Status.Code code, String message, org.junit.jupiter.api.function.Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode());
    assertEquals(message, e.getStatus().getDescription());
  }

  @Test
  void hashKvAtCurrentAndPastRevisionsAndEtcdsErrors() throws Exception {
    long r1 = put("a", "1");
    long r2 = put("b", "2");
    HashKVResponse now = maintenance.hashKV(HashKVRequest.getDefaultInstance());
    assertEquals(r2, now.getHeader().getRevision());
    assertEquals(-1, now.getCompactRevision());
    assertEquals(OneMember.MEMBER_ID, now.getHeader().getMemberId());
    assertEquals(now.getHash(), maintenance.hashKV(rev(r2)).getHash());
    HashKVResponse past = maintenance.hashKV(rev(r1));
    assertNotEquals(now.getHash(), past.getHash());
    assertEquals(r2, past.getHeader().getRevision());
    assertEquals(
        (int) m.server.store().hashKv(r1).hash(), past.getHash(), "the core's hash, unsigned");

    assertStatus(
        Status.Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision is a future revision",
        () -> maintenance.hashKV(rev(r2 + 1)));
    m.propose(new CompactionRequest(r1, false));
    assertStatus(
        Status.Code.OUT_OF_RANGE,
        "etcdserver: mvcc: required revision has been compacted",
        () -> maintenance.hashKV(rev(r1)));
    HashKVResponse after = maintenance.hashKV(rev(r2));
    assertEquals(r1, after.getCompactRevision());
  }

  private static HashKVRequest rev(long r) {
    return HashKVRequest.newBuilder().setRevision(r).build();
  }

  @Test
  void hashCoversTheStoreAndChangesWithAWrite() {
    put("a", "1");
    int h1 = maintenance.hash(HashRequest.getDefaultInstance()).getHash();
    assertEquals(h1, maintenance.hash(HashRequest.getDefaultInstance()).getHash());
    long rev = put("a", "2");
    var h2 = maintenance.hash(HashRequest.getDefaultInstance());
    assertNotEquals(h1, h2.getHash());
    assertEquals(rev, h2.getHeader().getRevision());
  }

  @Test
  void alarmsGoThroughTheLogAndShowInStatusAsEtcdPrintsThem() {
    assertEquals(0, alarm(AlarmRequest.AlarmAction.GET, 0, AlarmType.NONE).getAlarmsCount());
    AlarmResponse raised = alarm(AlarmRequest.AlarmAction.ACTIVATE, 7, AlarmType.NOSPACE);
    assertEquals(List.of(member(7, AlarmType.NOSPACE)), raised.getAlarmsList());
    assertTrue(!raised.hasHeader(), "etcd 3.4 answers alarms without a header");
    alarm(AlarmRequest.AlarmAction.ACTIVATE, 5, AlarmType.NONE);

    // GET filters by type, never by member
    assertEquals(
        List.of(member(7, AlarmType.NOSPACE)),
        alarm(AlarmRequest.AlarmAction.GET, 99, AlarmType.NOSPACE).getAlarmsList());
    assertEquals(2, alarm(AlarmRequest.AlarmAction.GET, 0, AlarmType.NONE).getAlarmsCount());
    assertEquals(
        List.of("memberID:7 alarm:NOSPACE ", "memberID:5 "),
        maintenance.status(StatusRequest.getDefaultInstance()).getErrorsList());
    assertStatus(
        Status.Code.RESOURCE_EXHAUSTED,
        "etcdserver: mvcc: database space exceeded",
        () -> put("x", "y"));

    // disarming another member's alarm is a no-op with an empty answer
    assertEquals(
        0, alarm(AlarmRequest.AlarmAction.DEACTIVATE, 8, AlarmType.NOSPACE).getAlarmsCount());
    assertEquals(
        List.of(member(7, AlarmType.NOSPACE)),
        alarm(AlarmRequest.AlarmAction.DEACTIVATE, 7, AlarmType.NOSPACE).getAlarmsList());
    put("x", "y");
    alarm(AlarmRequest.AlarmAction.DEACTIVATE, 5, AlarmType.NONE);
    assertEquals(0, maintenance.status(StatusRequest.getDefaultInstance()).getErrorsCount());
  }

  private AlarmResponse alarm(AlarmRequest.AlarmAction action, long member, AlarmType type) {
    return maintenance.alarm(
        AlarmRequest.newBuilder().setAction(action).setMemberID(member).setAlarm(type).build());
  }

  private static AlarmMember member(long id, AlarmType type) {
    return AlarmMember.newBuilder().setMemberID(id).setAlarm(type).build();
  }

  @Test
  void statusReportsTheRaftStateAndTheStoreSize() throws Exception {
    long rev = put("k", "v");
    StatusResponse s = maintenance.status(StatusRequest.getDefaultInstance());
    assertEquals(rev, s.getHeader().getRevision());
    assertEquals(OneMember.CLUSTER_ID, s.getHeader().getClusterId());
    assertEquals("3.4.23", s.getVersion());
    assertEquals(OneMember.MEMBER_ID, s.getLeader());
    assertEquals(m.server.status().term(), s.getRaftTerm());
    assertTrue(s.getRaftAppliedIndex() >= 2 && s.getRaftIndex() >= s.getRaftAppliedIndex());
    assertEquals(m.server.store().dbSize(), s.getDbSizeInUse());
    assertTrue(s.getDbSizeInUse() > 0 && s.getDbSize() >= s.getDbSizeInUse());
    assertEquals(0, s.getErrorsCount());
  }

  @Test
  void defragmentWithoutAnH2FileAnswersEmpty() {
    assertEquals(
        DefragmentResponse.getDefaultInstance(),
        maintenance.defragment(DefragmentRequest.getDefaultInstance()));
  }

  @Test
  void snapshotStreamsTheStoreInChunksThatRestoreToTheSameHashes() throws Exception {
    String value = "v".repeat(1000);
    for (int i = 0; i < 200; i++) {
      put("key-" + i, value);
    }
    long rev = put("key-0", "again");
    List<byte[]> blobs = new ArrayList<>();
    List<Long> remaining = new ArrayList<>();
    Iterator<SnapshotResponse> it = maintenance.snapshot(SnapshotRequest.getDefaultInstance());
    while (it.hasNext()) {
      SnapshotResponse r = it.next();
      blobs.add(r.getBlob().toByteArray());
      remaining.add(r.getRemainingBytes());
    }
    assertTrue(blobs.size() >= 6, "about 200 KB in 32 KiB messages: " + blobs.size());
    assertEquals(0L, remaining.get(remaining.size() - 1));
    assertTrue(remaining.subList(0, remaining.size() - 1).stream().allMatch(x -> x > 0));
    byte[] first = blobs.get(0);
    assertArrayEquals(
        "KVSNAP01".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(first, 8));

    MvccStore restored = MvccStore.restore(new MemoryKvBackend(), KvConfig.defaults(), blobs);
    assertEquals(rev, restored.currentRevision());
    assertEquals(m.server.store().hashKv(0).hash(), restored.hashKv(0).hash());
    assertEquals(m.server.store().hash(), restored.hash());
  }
}
