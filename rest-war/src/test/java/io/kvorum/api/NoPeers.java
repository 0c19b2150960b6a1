package io.kvorum.api;

import io.kvorum.raft.transport.Transport;
import io.kvorum.raft.transport.TransportStats;

/** The transport of a one-member test cluster: no peers, nothing sent. */
public final class NoPeers implements Transport {
  @Override
  public void start(Inbox inbox) {}

  @Override
  public void addPeer(long member) {}

  @Override
  public void removePeer(long member) {}

  @Override
  public boolean send(long to, byte[] message) {
    return false;
  }

  @Override
  public TransportStats stats() {
    return new TransportStats(0, 0, 0, 0, 0, 0, 0);
  }

  @Override
  public void close() {}
}
