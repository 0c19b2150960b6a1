package io.kvorum.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvorum.api.pb.v3lockpb.LockGrpc;
import io.kvorum.api.pb.v3lockpb.LockRequest;
import io.kvorum.api.pb.v3lockpb.LockResponse;
import io.kvorum.api.pb.v3lockpb.UnlockRequest;
import io.kvorum.kv.core.KeyValue;
import io.kvorum.kv.core.LeaseRevokeRequest;
import io.kvorum.kv.core.RangeRequest;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * v3lock over real gRPC against a single member: mutual exclusion in create-revision order, release
 * by Unlock, by lease expiry and by lease revocation, and etcd 3.4.23's answers to bad input (read
 * from its JSON gateway first: code 2 = UNKNOWN with etcd's message).
 */
class LockGrpcServiceTest {
  private OneMember m;
  private LockGrpc.LockFutureStub lock;
  private LockGrpc.LockBlockingStub blocking;

  @BeforeEach
  void start() throws Exception {
    m = new OneMember();
    lock = LockGrpc.newFutureStub(m.channel);
    blocking = LockGrpc.newBlockingStub(m.channel);
  }

  @AfterEach
  void stop() throws Exception {
    m.close();
  }

  private ListenableFuture<LockResponse> lock(String name, long lease) {
    return lock.lock(
        LockRequest.newBuilder().setName(ByteString.copyFromUtf8(name)).setLease(lease).build());
  }

  private static void assertWaiting(ListenableFuture<?> f) {
    assertThrows(TimeoutException.class, () -> f.get(400, TimeUnit.MILLISECONDS));
  }

  private List<KeyValue> keys(String prefix) {
    return m.server.store().range(RangeRequest.prefix(prefix)).kvs();
  }

  @Test
  void theSecondLockerWaitsUntilTheFirstUnlocks() throws Exception {
    long l1 = m.grantLease(60);
    long l2 = m.grantLease(60);
    LockResponse first = lock("job", l1).get(5, TimeUnit.SECONDS);
    assertEquals("job/" + Long.toHexString(l1), first.getKey().toStringUtf8());
    assertEquals(m.server.store().currentRevision(), first.getHeader().getRevision());
    assertEquals(OneMember.MEMBER_ID, first.getHeader().getMemberId());

    ListenableFuture<LockResponse> second = lock("job", l2);
    assertWaiting(second);
    assertEquals(2, keys("job/").size(), "the waiter's key is queued behind the holder's");

    blocking.unlock(UnlockRequest.newBuilder().setKey(first.getKey()).build());
    LockResponse got = second.get(5, TimeUnit.SECONDS);
    assertEquals("job/" + Long.toHexString(l2), got.getKey().toStringUtf8());
    assertEquals(m.server.store().currentRevision(), got.getHeader().getRevision());
  }

  @Test
  void locksWaitInCreateRevisionOrder() throws Exception {
    long l1 = m.grantLease(60);
    long l2 = m.grantLease(60);
    long l3 = m.grantLease(60);
    LockResponse first = lock("q", l1).get(5, TimeUnit.SECONDS);
    ListenableFuture<LockResponse> second = lock("q", l2);
    assertWaiting(second);
    ListenableFuture<LockResponse> third = lock("q", l3);
    assertWaiting(third);
    blocking.unlock(UnlockRequest.newBuilder().setKey(first.getKey()).build());
    LockResponse s = second.get(5, TimeUnit.SECONDS);
    assertWaiting(third);
    blocking.unlock(UnlockRequest.newBuilder().setKey(s.getKey()).build());
    assertEquals(
        "q/" + Long.toHexString(l3), third.get(5, TimeUnit.SECONDS).getKey().toStringUtf8());
  }

  @Test
  void leaseExpiryReleasesTheLock() throws Exception {
    long short1 = m.grantLease(5);
    long l2 = m.grantLease(600);
    lock("exp", short1).get(5, TimeUnit.SECONDS);
    ListenableFuture<LockResponse> second = lock("exp", l2);
    assertWaiting(second);
    m.advanceClock(6_000); // the leader revokes the expired lease through the log
    assertEquals(
        "exp/" + Long.toHexString(l2), second.get(5, TimeUnit.SECONDS).getKey().toStringUtf8());
  }

  @Test
  void aWaiterWhoseLeaseIsRevokedFailsInsteadOfHoldingNothing() throws Exception {
    long l1 = m.grantLease(60);
    long l2 = m.grantLease(60);
    LockResponse first = lock("rv", l1).get(5, TimeUnit.SECONDS);
    ListenableFuture<LockResponse> second = lock("rv", l2);
    assertWaiting(second);
    m.propose(new LeaseRevokeRequest(l2));
    m.propose(new LeaseRevokeRequest(l1));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
    Status s = ((StatusRuntimeException) e.getCause()).getStatus();
    assertEquals(Status.Code.UNKNOWN, s.getCode());
    assertEquals("mutex: session is expired", s.getDescription());
    assertTrue(keys("rv/").isEmpty(), first.getKey().toStringUtf8());
  }

  @Test
  void aLockerThatGivesUpLeavesTheQueue() throws Exception {
    long l1 = m.grantLease(60);
    long l2 = m.grantLease(60);
    lock("gu", l1).get(5, TimeUnit.SECONDS);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                blocking
                    .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                    .lock(
                        LockRequest.newBuilder()
                            .setName(ByteString.copyFromUtf8("gu"))
                            .setLease(l2)
                            .build()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (keys("gu/").size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(
        List.of("gu/" + Long.toHexString(l1)),
        keys("gu/").stream().map(k -> new String(k.key())).toList());
  }

  @Test
  void leaseZeroGetsANewSixtySecondLeaseAsEtcdSessionsDo() throws Exception {
    LockResponse r = lock("", 0).get(5, TimeUnit.SECONDS);
    KeyValue kv = keys("/").get(0);
    assertEquals(r.getKey().toStringUtf8(), "/" + Long.toHexString(kv.lease()));
    assertTrue(kv.lease() != 0);
    assertEquals(
        60, m.server.store().leaseTimeToLive(kv.lease(), false, m.clock.get()).grantedTtl());
  }

  @Test
  void relockingWithTheSameLeaseReturnsTheSameKey() throws Exception {
    long l1 = m.grantLease(60);
    LockResponse a = lock("re", l1).get(5, TimeUnit.SECONDS);
    LockResponse b = lock("re", l1).get(5, TimeUnit.SECONDS);
    assertEquals(a.getKey(), b.getKey());
    assertEquals(1, keys("re/").size());
  }

  @Test
  void etcdsAnswersToBadInput() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                blocking.lock(
                    LockRequest.newBuilder()
                        .setName(ByteString.copyFromUtf8("L1"))
                        .setLease(12345)
                        .build()));
    assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
    assertEquals("etcdserver: requested lease not found", e.getStatus().getDescription());

    e =
        assertThrows(
            StatusRuntimeException.class,
            () -> blocking.unlock(UnlockRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
    assertEquals("etcdserver: key is not provided", e.getStatus().getDescription());

    // unlocking a key nobody holds is no error
    long rev = m.server.store().currentRevision();
    assertEquals(
        rev,
        blocking
            .unlock(UnlockRequest.newBuilder().setKey(ByteString.copyFromUtf8("nothere")).build())
            .getHeader()
            .getRevision());
    assertFalse(keys("L1/").iterator().hasNext());
  }
}
