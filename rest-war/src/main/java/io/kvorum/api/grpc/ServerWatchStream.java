package io.kvorum.api.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.WatchRequest;
import io.kvorum.api.pb.etcdserverpb.WatchResponse;
import io.kvorum.api.pb.mvccpb.Event;
import io.kvorum.kv.core.WatchCreateRequest;
import io.kvorum.kv.core.WatchStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Watch call (etcd's serverWatchStream): the client's create, cancel and progress requests go
 * to the core's {@link WatchStream}; its responses are polled and sent only while gRPC's outbound
 * buffer is ready. A slow client therefore costs no memory here: its watchers stay behind in the
 * store (caught up later from the ring or from storage) and the transport's onReady resumes
 * sending. The core signals new events on the applying thread; that only schedules a drain.
 *
 * <p>When the call ends (cancelled by the client, or failed) the core stream is closed. A client
 * that half-closes keeps receiving until it cancels, as from etcd.
 *
 * <p>Threading: gRPC delivers requests serially; at most one drain runs at a time ({@code wip}),
 * and only a drain sends.
 */
final class ServerWatchStream implements StreamObserver<WatchRequest> {
  private static final Logger LOG = Logger.getLogger(ServerWatchStream.class.getName());

  /** Responses polled per round; a round stops early when the transport is not ready. */
  private static final int POLL_RESPONSES = 64;

  private final MemberView member;
  private final ServerCallStreamObserver<WatchResponse> out;
  private final Executor executor;
  private final Set<ServerWatchStream> open;
  private final AtomicInteger wip = new AtomicInteger();
  private volatile WatchStream stream; // set by open(), before any request arrives
  private volatile boolean closed;

  private ServerWatchStream(
      MemberView member,
      ServerCallStreamObserver<WatchResponse> out,
      Executor executor,
      Set<ServerWatchStream> open) {
    this.member = member;
    this.out = out;
    this.executor = executor;
    this.open = open;
  }

  /**
   * Opens the core stream for a new call and registers the transport's handlers.
   *
   * @throws io.grpc.StatusRuntimeException UNAVAILABLE when the member is not serving
   */
  static ServerWatchStream open(
      MemberView member,
      ServerCallStreamObserver<WatchResponse> out,
      Executor executor,
      Set<ServerWatchStream> open) {
    ServerWatchStream s = new ServerWatchStream(member, out, executor, open);
    s.stream = member.running().store().watches().openStream(s::signal);
    open.add(s);
    out.setOnReadyHandler(s::signal);
    out.setOnCancelHandler(s::close);
    return s;
  }

  @Override
  public void onNext(WatchRequest r) {
    if (closed) {
      return;
    }
    switch (r.getRequestUnionCase()) {
      case CREATE_REQUEST -> stream.create(create(r.getCreateRequest()));
      case CANCEL_REQUEST -> stream.cancel(r.getCancelRequest().getWatchId());
      case PROGRESS_REQUEST -> stream.requestProgress();
      case REQUESTUNION_NOT_SET -> {
        // etcd ignores a request with nothing set
      }
    }
  }

  /**
   * etcd's recvLoop normalises the range before creating the watcher: no key means "\0", and
   * range_end "\0" means every key from key on.
   */
  private static WatchCreateRequest create(io.kvorum.api.pb.etcdserverpb.WatchCreateRequest c) {
    byte[] key = c.getKey().isEmpty() ? new byte[] {0} : c.getKey().toByteArray();
    List<WatchCreateRequest.FilterType> filters =
        c.getFiltersValueList().stream()
            .filter(f -> f >= 0 && f < WatchCreateRequest.FilterType.values().length)
            .map(f -> WatchCreateRequest.FilterType.values()[f])
            .toList();
    return new WatchCreateRequest(
        key,
        c.getRangeEnd().toByteArray(),
        c.getStartRevision(),
        c.getProgressNotify(),
        filters,
        c.getPrevKv(),
        c.getWatchId(),
        c.getFragment());
  }

  @Override
  public void onError(Throwable t) {
    close();
  }

  @Override
  public void onCompleted() {
    // etcd keeps the watchers of a half-closed stream running until the call ends
  }

  /** The periodic progress notification for watchers created with progress_notify. */
  void progressNotify() {
    if (!closed) {
      stream.progressNotify();
    }
  }

  /** Ends this call's watchers; idempotent. */
  void close() {
    if (!closed) {
      closed = true;
      open.remove(this);
      stream.close();
    }
  }

  private void signal() {
    if (wip.getAndIncrement() == 0) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    int missed = 1;
    do {
      try {
        sendWhileReady();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "watch stream failed", e);
        close();
        try {
          out.onError(MemberView.toStatus(e));
        } catch (RuntimeException alreadyClosed) {
          // the call ended meanwhile
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void sendWhileReady() {
    // the store may signal before open() has published the stream: nothing is pending then
    while (!closed && stream != null && out.isReady()) {
      List<io.kvorum.kv.core.WatchResponse> batch = stream.poll(POLL_RESPONSES);
      if (batch.isEmpty()) {
        return;
      }
      for (io.kvorum.kv.core.WatchResponse r : batch) {
        out.onNext(response(r));
      }
    }
  }

  private WatchResponse response(io.kvorum.kv.core.WatchResponse r) {
    var b =
        WatchResponse.newBuilder()
            .setHeader(member.header(r.header().revision()))
            .setWatchId(r.watchId())
            .setCreated(r.created())
            .setCanceled(r.canceled())
            .setCompactRevision(r.compactRevision())
            .setCancelReason(r.cancelReason())
            .setFragment(r.fragment());
    for (io.kvorum.kv.core.Event e : r.events()) {
      var ev =
          Event.newBuilder()
              .setType(
                  e.type() == io.kvorum.kv.core.Event.EventType.PUT
                      ? Event.EventType.PUT
                      : Event.EventType.DELETE)
              .setKv(ProtoMapping.kv(e.kv()));
      if (e.prevKv() != null) {
        ev.setPrevKv(ProtoMapping.kv(e.prevKv()));
      }
      b.addEvents(ev);
    }
    return b.build();
  }
}
