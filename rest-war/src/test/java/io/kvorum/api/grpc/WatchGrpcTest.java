package io.kvorum.api.grpc;

import static io.kvorum.api.grpc.KvTxnCompactGrpcTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kvorum.api.pb.etcdserverpb.CompactionRequest;
import io.kvorum.api.pb.etcdserverpb.DeleteRangeRequest;
import io.kvorum.api.pb.etcdserverpb.PutRequest;
import io.kvorum.api.pb.etcdserverpb.WatchCancelRequest;
import io.kvorum.api.pb.etcdserverpb.WatchCreateRequest;
import io.kvorum.api.pb.etcdserverpb.WatchProgressRequest;
import io.kvorum.api.pb.etcdserverpb.WatchRequest;
import io.kvorum.api.pb.etcdserverpb.WatchResponse;
import io.kvorum.api.pb.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Watch service over real gRPC: many watchers on one stream, history, flow control. */
class WatchGrpcTest {
  private OneMember m;

  @BeforeEach
  void start() throws InterruptedException {
    m = new OneMember();
  }

  @AfterEach
  void stop() throws InterruptedException {
    m.close();
  }

  /** A client Watch call whose responses are queued; {@code initial} < 0 reads freely. */
  private static final class Call implements ClientResponseObserver<WatchRequest, WatchResponse> {
    final BlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
    final int initial;
    ClientCallStreamObserver<WatchRequest> out;

    Call(int initial) {
      this.initial = initial;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
      out = requestStream;
      if (initial >= 0) {
        requestStream.disableAutoRequestWithInitial(initial);
      }
    }

    @Override
    public void onNext(WatchResponse r) {
      got.add(r);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    WatchResponse next() throws InterruptedException {
      WatchResponse r = got.poll(10, TimeUnit.SECONDS);
      assertNotNull(r, "a watch response within 10 s");
      return r;
    }

    void create(WatchCreateRequest.Builder c) {
      out.onNext(WatchRequest.newBuilder().setCreateRequest(c).build());
    }
  }

  private Call call(int initial) {
    Call c = new Call(initial);
    m.watch().watch(c);
    return c;
  }

  private long put(String k, String v) {
    return m.kv()
        .put(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build())
        .getHeader()
        .getRevision();
  }

  @Test
  void manyWatchersOnOneStreamWithFiltersPrevKvProgressAndCancel() throws Exception {
    Call c = call(-1);
    c.create(WatchCreateRequest.newBuilder().setKey(b("w/")).setRangeEnd(b("w0")).setPrevKv(true));
    WatchResponse created = c.next();
    assertTrue(created.getCreated());
    assertEquals(0, created.getWatchId());
    assertEquals(m.header(1), created.getHeader());
    c.create(
        WatchCreateRequest.newBuilder()
            .setKey(b("x"))
            .setWatchId(7)
            .addFilters(WatchCreateRequest.FilterType.NOPUT));
    assertEquals(7, c.next().getWatchId());

    put("w/a", "1"); // 2
    put("x", "1"); // 3: filtered out
    m.kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(b("x")).build()); // 4
    put("w/a", "2"); // 5
    List<WatchResponse> events = List.of(c.next(), c.next(), c.next());
    WatchResponse first = events.get(0);
    assertEquals(0, first.getWatchId());
    assertEquals(m.header(2), first.getHeader());
    assertEquals(Event.EventType.PUT, first.getEvents(0).getType());
    assertEquals(b("1"), first.getEvents(0).getKv().getValue());
    WatchResponse delete = events.get(1);
    assertEquals(7, delete.getWatchId());
    assertEquals(Event.EventType.DELETE, delete.getEvents(0).getType());
    assertEquals(4, delete.getEvents(0).getKv().getModRevision());
    assertEquals(b("1"), events.get(2).getEvents(0).getPrevKv().getValue(), "prev_kv asked");

    c.out.onNext(
        WatchRequest.newBuilder()
            .setProgressRequest(WatchProgressRequest.getDefaultInstance())
            .build());
    WatchResponse progress = c.next();
    assertEquals(-1, progress.getWatchId());
    assertEquals(m.header(5), progress.getHeader());

    c.out.onNext(
        WatchRequest.newBuilder()
            .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(0))
            .build());
    WatchResponse canceled = c.next();
    assertTrue(canceled.getCanceled());
    assertEquals(0, canceled.getWatchId());
    put("w/a", "3");
    put("x", "2");
    m.kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(b("x")).build());
    assertEquals(7, c.next().getWatchId(), "only the remaining watcher hears");
    c.out.onCompleted();
  }

  @Test
  void historyFromAStartRevisionAndCompactedStartsAreCanceledWithCompactRevision()
      throws Exception {
    for (int i = 0; i < 6; i++) {
      put("h", "v" + i); // 2..7
    }
    m.kv().compact(CompactionRequest.newBuilder().setRevision(5).setPhysical(true).build());
    Call c = call(-1);
    c.create(WatchCreateRequest.newBuilder().setKey(b("h")).setStartRevision(5));
    assertTrue(c.next().getCreated());
    WatchResponse history = c.next();
    assertEquals(
        List.of(5L, 6L, 7L),
        history.getEventsList().stream().map(e -> e.getKv().getModRevision()).toList());
    c.create(WatchCreateRequest.newBuilder().setKey(b("h")).setStartRevision(3));
    WatchResponse created = c.next();
    assertTrue(created.getCreated());
    WatchResponse compacted = c.next();
    assertEquals(created.getWatchId(), compacted.getWatchId());
    assertTrue(compacted.getCanceled());
    assertEquals(5, compacted.getCompactRevision());
    assertEquals("", compacted.getCancelReason(), "etcd gives no reason");
    c.out.onCompleted();
  }

  @Test
  void progressNotifyReachesCaughtUpWatchersPeriodically() throws Exception {
    long rev = put("p", "1");
    Call c = call(-1);
    c.create(WatchCreateRequest.newBuilder().setKey(b("p")).setProgressNotify(true));
    assertTrue(c.next().getCreated());
    WatchResponse notify = c.next(); // every OneMember.PROGRESS_NOTIFY_MILLIS
    assertEquals(0, notify.getEventsCount());
    assertEquals(m.header(rev), notify.getHeader());
    c.out.onCompleted();
  }

  @Test
  void aClientThatDoesNotReadHoldsTheServerBackAndStillGetsEveryEventInOrder() throws Exception {
    Call c = call(1);
    c.create(WatchCreateRequest.newBuilder().setKey(b("f/")).setRangeEnd(b("f0")));
    assertTrue(c.next().getCreated());
    ByteString value = ByteString.copyFrom(new byte[8 * 1024]);
    int puts = 3000;
    var kv = io.kvorum.api.pb.etcdserverpb.KVGrpc.newFutureStub(m.channel);
    List<com.google.common.util.concurrent.ListenableFuture<?>> acks = new ArrayList<>();
    for (int i = 0; i < puts; i++) {
      acks.add(kv.put(PutRequest.newBuilder().setKey(b("f/" + i)).setValue(value).build()));
    }
    for (var f : acks) {
      f.get(30, TimeUnit.SECONDS);
    }
    Thread.sleep(200);
    long sent = m.watchResponsesSent.get();
    assertTrue(
        sent < puts / 4,
        "the server stops sending while the client's window is full: sent " + sent + " of " + puts);

    c.out.request(Integer.MAX_VALUE);
    long expect = 2;
    while (expect < 2 + puts) {
      for (Event e : c.next().getEventsList()) {
        assertEquals(expect++, e.getKv().getModRevision(), "in order, no gaps");
      }
    }
    c.out.onCompleted();
  }
}
