package io.kvorum.api.grpc;

import static io.kvorum.api.grpc.KvTxnCompactGrpcTest.assertStatus;
import static io.kvorum.api.grpc.KvTxnCompactGrpcTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.LeaseGrantRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseGrantResponse;
import io.kvorum.api.pb.etcdserverpb.LeaseKeepAliveRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseKeepAliveResponse;
import io.kvorum.api.pb.etcdserverpb.LeaseLeasesRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseRevokeRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseStatus;
import io.kvorum.api.pb.etcdserverpb.LeaseTimeToLiveRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseTimeToLiveResponse;
import io.kvorum.api.pb.etcdserverpb.PutRequest;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Lease service over real gRPC; answers and errors as etcd 3.4.23's. */
class LeaseGrpcTest {
  private OneMember m;

  @BeforeEach
  void start() throws InterruptedException {
    m = new OneMember();
  }

  @AfterEach
  void stop() throws InterruptedException {
    m.close();
  }

  private LeaseGrantResponse grant(long ttl, long id) {
    return m.lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).setID(id).build());
  }

  @Test
  void grantTimeToLiveLeasesAndRevokeWithItsKeys() {
    LeaseGrantResponse one = grant(1, 0);
    assertTrue(one.getID() > 0, "ID 0 lets the server pick");
    assertEquals(2, one.getTTL(), "raised to ceil(1.5 x election timeout), as etcd: 1 became 2");
    assertEquals(m.header(1), one.getHeader(), "a grant writes no revision");
    LeaseGrantResponse hundred = grant(100, 0x1234);
    assertEquals(0x1234, hundred.getID());
    m.kv().put(PutRequest.newBuilder().setKey(b("k1")).setValue(b("v")).setLease(0x1234).build());
    m.kv().put(PutRequest.newBuilder().setKey(b("k2")).setValue(b("v")).setLease(0x1234).build());

    LeaseTimeToLiveResponse ttl =
        m.lease()
            .leaseTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(0x1234).setKeys(true).build());
    assertEquals(m.header(3), ttl.getHeader());
    assertEquals(0x1234, ttl.getID());
    assertEquals(100, ttl.getGrantedTTL());
    assertEquals(100, ttl.getTTL(), "the leader's timer, on a clock that has not moved");
    assertEquals(List.of(b("k1"), b("k2")), ttl.getKeysList());
    assertEquals(
        -1,
        m.lease().leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(99).build()).getTTL(),
        "an unknown lease: TTL -1, not an error");
    assertEquals(
        List.of(0x1234L, one.getID()).stream().sorted().toList(),
        m.lease().leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesList().stream()
            .map(LeaseStatus::getID)
            .toList());

    var revoked = m.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(0x1234).build());
    assertEquals(m.header(4), revoked.getHeader(), "both keys deleted in one revision");
    assertEquals(
        0,
        m.kv()
            .range(RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l")).build())
            .getCount());
  }

  @Test
  void errorsAreEtcds() {
    grant(60, 7);
    assertStatus(
        Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists", () -> grant(60, 7));
    assertStatus(
        Status.Code.OUT_OF_RANGE,
        "etcdserver: too large lease TTL",
        () -> grant(9_000_000_001L, 0));
    assertStatus(
        Status.Code.NOT_FOUND,
        "etcdserver: requested lease not found",
        () -> m.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(8).build()));
    assertStatus(
        Status.Code.NOT_FOUND,
        "etcdserver: requested lease not found",
        () ->
            m.kv()
                .put(PutRequest.newBuilder().setKey(b("x")).setValue(b("v")).setLease(8).build()));
  }

  @Test
  void keepAliveAnswersEachRequestInOrderAndKeepsTheLeaseAlive() throws Exception {
    grant(10, 5);
    m.kv().put(PutRequest.newBuilder().setKey(b("alive")).setValue(b("v")).setLease(5).build());
    List<LeaseKeepAliveResponse> got = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<LeaseKeepAliveRequest> in =
        m.leaseAsync()
            .leaseKeepAlive(
                new StreamObserver<>() {
                  @Override
                  public void onNext(LeaseKeepAliveResponse r) {
                    got.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(null);
                  }
                });
    // 30 s on the lease clock, a keep-alive every 3 s: a 10 s lease survives only if renewed
    for (int i = 0; i < 10; i++) {
      m.clock.addAndGet(3_000);
      Thread.sleep(50);
      in.onNext(LeaseKeepAliveRequest.newBuilder().setID(5).build());
      in.onNext(LeaseKeepAliveRequest.newBuilder().setID(6).build());
    }
    in.onCompleted();
    done.get(10, TimeUnit.SECONDS);
    assertEquals(20, got.size(), "one response per request");
    for (int i = 0; i < 20; i += 2) {
      assertEquals(5, got.get(i).getID());
      assertEquals(10, got.get(i).getTTL());
      assertEquals(6, got.get(i + 1).getID());
      assertEquals(0, got.get(i + 1).getTTL(), "an unknown lease: TTL 0, not an error");
      assertEquals(OneMember.CLUSTER_ID, got.get(i).getHeader().getClusterId());
      assertEquals(OneMember.MEMBER_ID, got.get(i).getHeader().getMemberId());
      assertEquals(2, got.get(i).getHeader().getRevision());
    }
    assertEquals(1, m.kv().range(RangeRequest.newBuilder().setKey(b("alive")).build()).getCount());
  }
}
