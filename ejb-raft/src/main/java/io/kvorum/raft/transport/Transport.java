package io.kvorum.raft.transport;

/**
 * How Raft messages travel between members. Delivery is best effort: a message may be lost,
 * duplicated or reordered, which Raft tolerates; a transport never blocks the caller of {@link
 * #send} on the network.
 */
public interface Transport extends AutoCloseable {
  /** Receives the messages addressed to this member. */
  @FunctionalInterface
  interface Inbox {
    /**
     * Called on a transport thread, once per message, in the order the sender queued them. Must not
     * block for long: the transport's receive thread waits for it.
     *
     * @param from the sending member's id
     * @param message the encoded Raft message, as given to {@link #send}
     */
    void deliver(long from, byte[] message);
  }

  /**
   * Starts receiving: from now on messages to this member go to {@code inbox}.
   *
   * @throws IllegalStateException when already started or closed
   */
  void start(Inbox inbox);

  /** Starts sending to a member (idempotent): every peer at start, and each member added. */
  void addPeer(long member);

  /** Stops sending to a member (a removed member); its queued messages are dropped. */
  void removePeer(long member);

  /**
   * Queues one encoded message for member {@code to}. Thread-safe; returns at once. When the queue
   * to that member is full the message is dropped and counted ({@link #stats()}).
   *
   * @return false when the message was dropped (unknown member, full queue, closed transport)
   */
  boolean send(long to, byte[] message);

  /** Counters since start: frames and messages sent, received, dropped, and why. */
  TransportStats stats();

  /** Stops sending and receiving; queued messages are dropped. Idempotent. */
  @Override
  void close();
}
