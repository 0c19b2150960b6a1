package io.kvorum.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.v3electionpb.CampaignRequest;
import io.kvorum.api.pb.v3electionpb.CampaignResponse;
import io.kvorum.api.pb.v3electionpb.ElectionGrpc;
import io.kvorum.api.pb.v3electionpb.LeaderKey;
import io.kvorum.api.pb.v3electionpb.LeaderRequest;
import io.kvorum.api.pb.v3electionpb.LeaderResponse;
import io.kvorum.api.pb.v3electionpb.ProclaimRequest;
import io.kvorum.api.pb.v3electionpb.ResignRequest;
import io.kvorum.kv.core.RangeRequest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * v3election over real gRPC against a single member: campaign order, proclaim, resign, lease
 * expiry, Observe's stream of leader values, and etcd 3.4.23's answers to bad input (read from its
 * JSON gateway first: code 2 = UNKNOWN with etcd's message).
 */
class ElectionGrpcServiceTest {
  private OneMember m;
  private ElectionGrpc.ElectionFutureStub election;
  private ElectionGrpc.ElectionBlockingStub blocking;

  @BeforeEach
  void start() throws Exception {
    m = new OneMember();
    election = ElectionGrpc.newFutureStub(m.channel);
    blocking = ElectionGrpc.newBlockingStub(m.channel);
  }

  @AfterEach
  void stop() throws Exception {
    m.close();
  }

  private ListenableFuture<CampaignResponse> campaign(String name, long lease, String value) {
    return election.campaign(
        CampaignRequest.newBuilder()
            .setName(ByteString.copyFromUtf8(name))
            .setLease(lease)
            .setValue(ByteString.copyFromUtf8(value))
            .build());
  }

  private String leader(String name) {
    return blocking
        .leader(LeaderRequest.newBuilder().setName(ByteString.copyFromUtf8(name)).build())
        .getKv()
        .getValue()
        .toStringUtf8();
  }

  private static void assertWaiting(ListenableFuture<?> f) {
    assertThrows(TimeoutException.class, () -> f.get(400, TimeUnit.MILLISECONDS));
  }

  private static void assertUnknown(String message, org.junit.jupiter.api.function.Executable c) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, c);
    assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
    assertEquals(message, e.getStatus().getDescription());
  }

  @Test
  void campaignsWinInOrderAndResignHandsOver() throws Exception {
    long l1 = m.grantLease(60);
    long l2 = m.grantLease(60);
    CampaignResponse a = campaign("e", l1, "alpha").get(5, TimeUnit.SECONDS);
    LeaderKey ka = a.getLeader();
    assertEquals("e/" + Long.toHexString(l1), ka.getKey().toStringUtf8());
    assertEquals("e", ka.getName().toStringUtf8());
    assertEquals(l1, ka.getLease());
    assertEquals(a.getHeader().getRevision(), ka.getRev());
    assertEquals("alpha", leader("e"));

    ListenableFuture<CampaignResponse> b = campaign("e", l2, "beta");
    assertWaiting(b);
    blocking.proclaim(
        ProclaimRequest.newBuilder()
            .setLeader(ka)
            .setValue(ByteString.copyFromUtf8("alpha2"))
            .build());
    assertEquals("alpha2", leader("e"));

    blocking.resign(ResignRequest.newBuilder().setLeader(ka).build());
    CampaignResponse won = b.get(5, TimeUnit.SECONDS);
    assertEquals("e/" + Long.toHexString(l2), won.getLeader().getKey().toStringUtf8());
    assertEquals("beta", leader("e"));

    // the old leader key no longer matches: proclaim refuses, resign is a quiet no-op
    assertUnknown(
        "election: not leader",
        () ->
            blocking.proclaim(
                ProclaimRequest.newBuilder()
                    .setLeader(ka)
                    .setValue(ByteString.copyFromUtf8("late"))
                    .build()));
    blocking.resign(ResignRequest.newBuilder().setLeader(ka).build());
    assertEquals("beta", leader("e"));
  }

  @Test
  void leaseExpiryEndsTheLeadership() throws Exception {
    long short1 = m.grantLease(5);
    long l2 = m.grantLease(600);
    campaign("x", short1, "one").get(5, TimeUnit.SECONDS);
    ListenableFuture<CampaignResponse> b = campaign("x", l2, "two");
    assertWaiting(b);
    m.advanceClock(6_000);
    b.get(5, TimeUnit.SECONDS);
    assertEquals("two", leader("x"));
  }

  @Test
  void campaigningAgainWithAnotherValueProclaimsIt() throws Exception {
    long l1 = m.grantLease(60);
    CampaignResponse a = campaign("again", l1, "first").get(5, TimeUnit.SECONDS);
    CampaignResponse b = campaign("again", l1, "second").get(5, TimeUnit.SECONDS);
    assertEquals(a.getLeader().getRev(), b.getLeader().getRev());
    assertEquals("second", leader("again"));
  }

  @Test
  void observeStreamsEveryLeaderValue() throws Exception {
    BlockingQueue<LeaderResponse> seen = new LinkedBlockingQueue<>();
    Context.CancellableContext ctx = Context.current().withCancellation();
    ctx.run(
        () ->
            ElectionGrpc.newStub(m.channel)
                .observe(
                    LeaderRequest.newBuilder().setName(ByteString.copyFromUtf8("obs")).build(),
                    new StreamObserver<>() {
                      @Override
                      public void onNext(LeaderResponse r) {
                        seen.add(r);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    }));
    try {
      Thread.sleep(200);
      assertTrue(seen.isEmpty(), "no leader yet: nothing to observe");
      long l1 = m.grantLease(60);
      long l2 = m.grantLease(60);
      LeaderKey k1 = campaign("obs", l1, "v1").get(5, TimeUnit.SECONDS).getLeader();
      assertEquals("v1", next(seen).getKv().getValue().toStringUtf8());
      ListenableFuture<CampaignResponse> second = campaign("obs", l2, "w1");
      assertWaiting(second);
      assertTrue(seen.isEmpty(), "a waiting candidate is not a leader");
      blocking.proclaim(
          ProclaimRequest.newBuilder()
              .setLeader(k1)
              .setValue(ByteString.copyFromUtf8("v2"))
              .build());
      LeaderResponse v2 = next(seen);
      assertEquals("v2", v2.getKv().getValue().toStringUtf8());
      assertEquals(m.server.store().currentRevision(), v2.getHeader().getRevision());
      blocking.resign(ResignRequest.newBuilder().setLeader(k1).build());
      assertEquals("w1", next(seen).getKv().getValue().toStringUtf8());
      second.get(5, TimeUnit.SECONDS);
    } finally {
      ctx.cancel(null);
    }
  }

  private static LeaderResponse next(BlockingQueue<LeaderResponse> q) throws InterruptedException {
    LeaderResponse r = q.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no leader response within 5 s");
    }
    return r;
  }

  @Test
  void aCampaignGivenUpResigns() throws Exception {
    long l1 = m.grantLease(60);
    long l2 = m.grantLease(60);
    campaign("gu", l1, "a").get(5, TimeUnit.SECONDS);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                blocking
                    .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                    .campaign(
                        CampaignRequest.newBuilder()
                            .setName(ByteString.copyFromUtf8("gu"))
                            .setLease(l2)
                            .setValue(ByteString.copyFromUtf8("b"))
                            .build()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (m.server.store().range(RangeRequest.prefix("gu/")).kvs().size() > 1
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, m.server.store().range(RangeRequest.prefix("gu/")).kvs().size());
  }

  @Test
  void etcdsAnswersToBadInput() throws Exception {
    assertUnknown("election: no leader", () -> leader("nobody"));
    assertUnknown(
        "\"leader\" field must be provided",
        () ->
            blocking.proclaim(
                ProclaimRequest.newBuilder().setValue(ByteString.copyFromUtf8("v")).build()));
    assertUnknown(
        "\"leader\" field must be provided",
        () -> blocking.resign(ResignRequest.getDefaultInstance()));
    assertUnknown(
        "etcdserver: requested lease not found",
        () ->
            blocking.campaign(
                CampaignRequest.newBuilder()
                    .setName(ByteString.copyFromUtf8("E1"))
                    .setLease(999)
                    .setValue(ByteString.copyFromUtf8("v"))
                    .build()));
    LeaderKey stale =
        LeaderKey.newBuilder()
            .setName(ByteString.copyFromUtf8("E1"))
            .setKey(ByteString.copyFromUtf8("E1/abc"))
            .setRev(5)
            .setLease(1)
            .build();
    assertUnknown(
        "election: not leader",
        () ->
            blocking.proclaim(
                ProclaimRequest.newBuilder()
                    .setLeader(stale)
                    .setValue(ByteString.copyFromUtf8("v"))
                    .build()));
    long rev = m.server.store().currentRevision();
    assertEquals(
        rev,
        blocking
            .resign(ResignRequest.newBuilder().setLeader(stale).build())
            .getHeader()
            .getRevision());
    CampaignResponse fresh = campaign("E2", 0, "v").get(5, TimeUnit.SECONDS);
    assertTrue(fresh.getLeader().getLease() != 0, "lease 0 campaigns on a new 60 s lease");
  }
}
