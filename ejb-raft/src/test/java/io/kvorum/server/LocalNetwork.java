package io.kvorum.server;

import io.kvorum.raft.transport.Transport;
import io.kvorum.raft.transport.TransportStats;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An in-JVM network of {@link Transport}s with members that can be cut off. */
final class LocalNetwork implements AutoCloseable {
  private final Map<Long, Transport.Inbox> inboxes = new ConcurrentHashMap<>();
  private final Map<Long, ExecutorService> delivery = new ConcurrentHashMap<>();
  private final Set<Long> isolated = ConcurrentHashMap.newKeySet();

  Transport transport(long self) {
    ExecutorService inOrder = Executors.newSingleThreadExecutor(r -> new Thread(r, "net-" + self));
    delivery.put(self, inOrder);
    Set<Long> peers = ConcurrentHashMap.newKeySet();
    return new Transport() {
      @Override
      public void start(Inbox inbox) {
        inboxes.put(self, inbox);
      }

      @Override
      public void addPeer(long member) {
        peers.add(member);
      }

      @Override
      public void removePeer(long member) {
        peers.remove(member);
      }

      @Override
      public boolean send(long to, byte[] message) {
        Inbox inbox = inboxes.get(to);
        if (inbox == null
            || !peers.contains(to)
            || isolated.contains(self)
            || isolated.contains(to)) {
          return false;
        }
        delivery.get(to).execute(() -> inbox.deliver(self, message));
        return true;
      }

      @Override
      public TransportStats stats() {
        return new TransportStats(0, 0, 0, 0, 0, 0, 0);
      }

      @Override
      public void close() {
        inboxes.remove(self);
      }
    };
  }

  /** Cuts a member off: nothing it sends or is sent arrives. */
  void isolate(long member) {
    isolated.add(member);
  }

  /** Reconnects a member cut off by {@link #isolate}. */
  void heal(long member) {
    isolated.remove(member);
  }

  @Override
  public void close() {
    delivery.values().forEach(ExecutorService::shutdownNow);
  }
}
