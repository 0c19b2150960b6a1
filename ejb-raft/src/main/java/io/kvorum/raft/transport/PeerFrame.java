package io.kvorum.raft.transport;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary frame members exchange: a header naming the cluster, sender and receiver, then a batch
 * of encoded Raft messages. Layout (big-endian): magic {@code 'K' 'V'}, version (1 byte), cluster
 * id (8), from (8), to (8), message count (4), then per message its length (4) and bytes.
 *
 * @param clusterId the sender's cluster id: a member drops frames of another cluster
 * @param from the sending member's id
 * @param to the receiving member's id
 * @param messages the encoded Raft messages, in the order they were queued
 */
public record PeerFrame(long clusterId, long from, long to, List<byte[]> messages) {
  static final byte VERSION = 1;

  /** Bytes before the first message. */
  static final int HEADER_BYTES = 2 + 1 + 8 + 8 + 8 + 4;

  /** Encodes this frame. */
  public byte[] encode() {
    int size = HEADER_BYTES;
    for (byte[] m : messages) {
      size += 4 + m.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put((byte) 'K').put((byte) 'V').put(VERSION);
    b.putLong(clusterId).putLong(from).putLong(to).putInt(messages.size());
    for (byte[] m : messages) {
      b.putInt(m.length).put(m);
    }
    return b.array();
  }

  /**
   * Decodes a frame.
   *
   * @throws IllegalArgumentException when the bytes are not a version-1 Kvorum frame
   */
  public static PeerFrame decode(byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      if (b.get() != 'K' || b.get() != 'V' || b.get() != VERSION) {
        throw new IllegalArgumentException("not a Kvorum peer frame");
      }
      long clusterId = b.getLong();
      long from = b.getLong();
      long to = b.getLong();
      int count = b.getInt();
      if (count < 0 || count > b.remaining() / 4) {
        throw new IllegalArgumentException("bad message count " + count);
      }
      List<byte[]> messages = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
          throw new IllegalArgumentException("bad message length " + len);
        }
        byte[] m = new byte[len];
        b.get(m);
        messages.add(m);
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " trailing bytes");
      }
      return new PeerFrame(clusterId, from, to, List.copyOf(messages));
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated frame", e);
    }
  }
}
