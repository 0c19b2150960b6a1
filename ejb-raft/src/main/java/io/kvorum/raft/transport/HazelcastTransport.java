package io.kvorum.raft.transport;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Raft messages over Hazelcast topics: each member listens on its own inbox topic ({@code
 * kvorum-inbox-<member id in hex>}); nothing is stored in Hazelcast.
 *
 * <p>Flow control: Hazelcast drops events silently when a receiver's event queue overflows, so a
 * burst must never be pushed at it unbounded. Each peer has a bounded queue drained by one sender
 * thread, which packs the queued messages into frames of at most {@code maxFrameBytes}; when a
 * queue is full further messages are dropped and counted (Raft retransmits). Frames carry the
 * cluster id; frames of another cluster are dropped and counted.
 */
public final class HazelcastTransport implements Transport {
  private static final Logger LOG = Logger.getLogger(HazelcastTransport.class.getName());
  private static final byte[] STOP = new byte[0];

  private final HazelcastInstance hazelcast;
  private final long clusterId;
  private final long self;
  private final ThreadFactory threads;
  private final int queueCapacity;
  private final int maxFrameBytes;
  private final Map<Long, Peer> peers = new ConcurrentHashMap<>();

  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong messagesSent = new AtomicLong();
  private final AtomicLong framesReceived = new AtomicLong();
  private final AtomicLong messagesReceived = new AtomicLong();
  private final AtomicLong droppedQueueFull = new AtomicLong();
  private final AtomicLong droppedForeignCluster = new AtomicLong();
  private final AtomicLong droppedMalformed = new AtomicLong();
  private final AtomicLong lastForeignWarning =
      new AtomicLong(System.nanoTime() - 120_000_000_000L);

  private volatile UUID listener;
  private volatile boolean closed;

  /**
   * @param hazelcast the member's Hazelcast instance (Payara's embedded one in the product)
   * @param clusterId this cluster's id, written into every frame and checked on every frame
   * @param self this member's id
   * @param threads where sender threads come from (a ManagedThreadFactory in the container)
   * @param queueCapacity messages queued per peer before new ones are dropped
   * @param maxFrameBytes the largest frame a sender packs (a single larger message still goes)
   */
  public HazelcastTransport(
      HazelcastInstance hazelcast,
      long clusterId,
      long self,
      ThreadFactory threads,
      int queueCapacity,
      int maxFrameBytes) {
    this.hazelcast = hazelcast;
    this.clusterId = clusterId;
    this.self = self;
    this.threads = threads;
    this.queueCapacity = queueCapacity;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** The inbox topic of a member. */
  static String inboxTopic(long member) {
    return "kvorum-inbox-" + Long.toHexString(member);
  }

  @Override
  public synchronized void start(Inbox inbox) {
    if (listener != null || closed) {
      throw new IllegalStateException(closed ? "closed" : "already started");
    }
    ITopic<byte[]> topic = hazelcast.getTopic(inboxTopic(self));
    listener = topic.addMessageListener(m -> receive(m.getMessageObject(), inbox));
  }

  private void receive(byte[] bytes, Inbox inbox) {
    PeerFrame frame;
    try {
      frame = PeerFrame.decode(bytes);
    } catch (IllegalArgumentException e) {
      droppedMalformed.incrementAndGet();
      return;
    }
    if (frame.clusterId() != clusterId || frame.to() != self) {
      droppedForeignCluster.incrementAndGet();
      warnForeign(frame);
      return;
    }
    framesReceived.incrementAndGet();
    for (byte[] m : frame.messages()) {
      messagesReceived.incrementAndGet();
      try {
        inbox.deliver(frame.from(), m);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING, "inbox failed on a message from " + Long.toHexString(frame.from()), e);
      }
    }
  }

  /**
   * Says, at most once a minute, why frames are dropped, with etcd's words for a member of another
   * cluster (a wrong initial-cluster, a member added with initial-cluster-state new, a data-dir of
   * another cluster): both sides then log it instead of silently running apart.
   */
  private void warnForeign(PeerFrame frame) {
    long now = System.nanoTime();
    long last = lastForeignWarning.get();
    if (now - last < 60_000_000_000L || !lastForeignWarning.compareAndSet(last, now)) {
      return;
    }
    LOG.warning(
        (frame.clusterId() != clusterId
                ? "request cluster ID mismatch: local-member-cluster-id "
                    + Long.toHexString(clusterId)
                    + ", remote-peer-cluster-id "
                    + Long.toHexString(frame.clusterId())
                : "dropped a message for member " + Long.toHexString(frame.to()))
            + ", local-member-id "
            + Long.toHexString(self)
            + ", remote-peer-id "
            + Long.toHexString(frame.from())
            + " ("
            + (droppedForeignCluster.get())
            + " frames dropped)");
  }

  @Override
  public void addPeer(long member) {
    if (member == self || closed) {
      return;
    }
    peers.computeIfAbsent(
        member,
        id -> {
          Peer p = new Peer(id);
          Thread t = threads.newThread(p::run);
          t.setName("kvorum-send-" + Long.toHexString(id));
          t.setDaemon(true);
          t.start();
          return p;
        });
  }

  @Override
  public void removePeer(long member) {
    Peer p = peers.remove(member);
    if (p != null) {
      p.stop();
    }
  }

  @Override
  public boolean send(long to, byte[] message) {
    Peer p = peers.get(to);
    if (p == null || closed) {
      return false;
    }
    if (!p.queue.offer(message)) {
      droppedQueueFull.incrementAndGet();
      return false;
    }
    return true;
  }

  @Override
  public TransportStats stats() {
    return new TransportStats(
        framesSent.get(),
        messagesSent.get(),
        framesReceived.get(),
        messagesReceived.get(),
        droppedQueueFull.get(),
        droppedForeignCluster.get(),
        droppedMalformed.get());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (listener != null) {
      try {
        hazelcast.getTopic(inboxTopic(self)).removeMessageListener(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "Hazelcast already stopped", e);
      }
    }
    for (Long id : List.copyOf(peers.keySet())) {
      removePeer(id);
    }
  }

  /** One peer's bounded queue and the loop that drains it into frames. */
  private final class Peer {
    final long id;
    final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(queueCapacity);
    volatile boolean stopped;

    Peer(long id) {
      this.id = id;
    }

    void stop() {
      stopped = true;
      queue.clear();
      queue.offer(STOP);
    }

    void run() {
      ITopic<byte[]> topic = hazelcast.getTopic(inboxTopic(id));
      List<byte[]> batch = new ArrayList<>();
      while (!stopped) {
        try {
          batch.add(queue.take());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        int bytes = PeerFrame.HEADER_BYTES + 4 + batch.get(0).length;
        byte[] next;
        while (bytes < maxFrameBytes && (next = queue.peek()) != null) {
          if (bytes + 4 + next.length > maxFrameBytes) {
            break;
          }
          batch.add(queue.poll());
          bytes += 4 + next.length;
        }
        batch.removeIf(m -> m == STOP);
        if (!stopped && !batch.isEmpty()) {
          publish(topic, batch);
        }
        batch.clear();
      }
    }

    private void publish(ITopic<byte[]> topic, List<byte[]> batch) {
      try {
        topic.publish(new PeerFrame(clusterId, self, id, batch).encode());
        framesSent.incrementAndGet();
        messagesSent.addAndGet(batch.size());
      } catch (RuntimeException e) {
        // A peer that is down or a Hazelcast hiccup: Raft retransmits what matters.
        LOG.log(Level.FINE, "publish to " + Long.toHexString(id) + " failed", e);
      }
    }
  }
}
