package io.kvorum.raft.core;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's pending ReadIndex requests, each waiting for a majority of heartbeat
 * acknowledgements that prove the leader still led when the request arrived (Raft thesis 6.4).
 */
final class ReadOnly {
  /** A read request, its index, and who has acknowledged a heartbeat carrying its context. */
  static final class Request {
    final long from;
    final byte[] context;
    final long index;
    final Set<Long> acks = new HashSet<>();

    Request(long from, byte[] context, long index) {
      this.from = from;
      this.context = context;
      this.index = index;
    }
  }

  /** Pending requests in arrival order, keyed by context content. */
  private final LinkedHashMap<ByteBuffer, Request> pending = new LinkedHashMap<>();

  private byte[] lastContext;

  /** Adds a request (a duplicate context is ignored) made when the commit index was index. */
  void add(long index, long from, byte[] context) {
    ByteBuffer key = ByteBuffer.wrap(context);
    if (!pending.containsKey(key)) {
      pending.put(key, new Request(from, context, index));
      lastContext = context;
    }
  }

  /** Records a heartbeat acknowledgement; returns the acks for that context, or null. */
  Set<Long> ack(long from, byte[] context) {
    Request r = pending.get(ByteBuffer.wrap(context));
    if (r == null) {
      return null;
    }
    r.acks.add(from);
    return r.acks;
  }

  /**
   * Removes and returns the request with this context and all earlier ones: confirming a later
   * heartbeat round confirms leadership for the requests made before it too.
   */
  List<Request> advance(byte[] context) {
    List<Request> out = new ArrayList<>();
    ByteBuffer key = ByteBuffer.wrap(context);
    if (!pending.containsKey(key)) {
      return out;
    }
    var it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<ByteBuffer, Request> e = it.next();
      out.add(e.getValue());
      it.remove();
      if (e.getKey().equals(key)) {
        break;
      }
    }
    if (pending.isEmpty()) {
      lastContext = null;
    }
    return out;
  }

  /** Returns the context of the newest pending request (carried by heartbeats), or null. */
  byte[] lastPendingContext() {
    return lastContext;
  }

  void reset() {
    pending.clear();
    lastContext = null;
  }

  int size() {
    return pending.size();
  }
}
