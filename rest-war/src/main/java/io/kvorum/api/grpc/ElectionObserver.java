package io.kvorum.api.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.kvorum.api.pb.v3electionpb.LeaderResponse;
import io.kvorum.kv.core.Bytes;
import io.kvorum.kv.core.Event;
import io.kvorum.kv.core.KeyValue;
import io.kvorum.kv.core.RangeResponse;
import io.kvorum.kv.core.WatchResponse;

/**
 * One Election.Observe stream, as concurrency.Election.Observe runs it: read the leader (the first
 * created key under the prefix), or wait for the first put under it; send it; follow that key's
 * puts (each a new proclaimed value) until it is deleted; then read the next leader. Ends only when
 * the client leaves, or, as in etcd, with a normal end of stream when a read fails.
 */
final class ElectionObserver {
  private final Concurrency concurrency;
  private final ElectionGrpcService service;
  private final byte[] prefix;
  private final ServerCallStreamObserver<LeaderResponse> call;
  private KeyWatch watch;
  private boolean closed;

  ElectionObserver(
      Concurrency concurrency,
      ElectionGrpcService service,
      byte[] prefix,
      ServerCallStreamObserver<LeaderResponse> call) {
    this.concurrency = concurrency;
    this.service = service;
    this.prefix = prefix;
    this.call = call;
  }

  void start() {
    concurrency.range(Concurrency.firstCreate(prefix)).whenComplete(this::onLeaderRead);
  }

  /** The client left: stop watching. */
  synchronized void close() {
    closed = true;
    if (watch != null) {
      watch.close();
    }
  }

  private synchronized void onLeaderRead(RangeResponse r, Throwable error) {
    if (closed) {
      return;
    }
    if (error != null) {
      end();
      return;
    }
    if (r.kvs().isEmpty()) {
      watch(prefix, Bytes.prefixEnd(prefix), r.header().revision() + 1, this::onFirstPut);
    } else {
      KeyValue kv = r.kvs().get(0);
      send(r.header().revision(), kv);
      watch(kv.key(), null, r.header().revision() + 1, this::onLeaderChange);
    }
  }

  /** Waiting for a candidate: only a put counts (a delete under an empty prefix is noise). */
  private synchronized boolean onFirstPut(WatchResponse r) {
    if (closed) {
      return false;
    }
    if (r.canceled()) { // compacted past the start: read again
      start();
      return false;
    }
    for (Event e : r.events()) {
      if (e.type() == Event.EventType.PUT) {
        send(e.kv().modRevision(), e.kv());
        watch(e.kv().key(), null, e.kv().modRevision() + 1, this::onLeaderChange);
        return false;
      }
    }
    return true;
  }

  /** Following the leader's key: a put is a proclaimed value, a delete ends its leadership. */
  private synchronized boolean onLeaderChange(WatchResponse r) {
    if (closed) {
      return false;
    }
    if (r.canceled()) {
      start();
      return false;
    }
    for (Event e : r.events()) {
      if (e.type() == Event.EventType.DELETE) {
        start();
        return false;
      }
      send(r.header().revision(), e.kv());
    }
    return true;
  }

  private void watch(
      byte[] key,
      byte[] rangeEnd,
      long startRevision,
      java.util.function.Predicate<WatchResponse> handler) {
    try {
      watch =
          KeyWatch.open(
              concurrency.member().running().store(),
              key,
              rangeEnd,
              startRevision,
              concurrency.executor(),
              handler);
    } catch (RuntimeException e) {
      end();
    }
  }

  private void send(long revision, KeyValue kv) {
    try {
      call.onNext(service.leaderResponse(revision, kv));
    } catch (RuntimeException e) {
      close(); // the call is already gone
    }
  }

  private void end() {
    closed = true;
    try {
      call.onCompleted();
    } catch (RuntimeException e) {
      // the call is already gone
    }
  }
}
