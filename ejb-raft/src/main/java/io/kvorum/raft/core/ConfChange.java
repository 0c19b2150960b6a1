package io.kvorum.raft.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One single-server membership change, carried by a {@link EntryType#CONF_CHANGE} entry. The entry
 * data may carry an application context after the change (as etcd's ConfChange.Context carries the
 * member's peer URLs); the core ignores it.
 *
 * @param type what changes
 * @param nodeId the node it changes
 */
public record ConfChange(ConfChangeType type, long nodeId) {
  /** Encodes this change as entry data (9 bytes: type, node id). */
  public byte[] encode() {
    return ByteBuffer.allocate(9).put((byte) type.ordinal()).putLong(nodeId).array();
  }

  /** Encodes this change followed by an application context ({@link #context}). */
  public byte[] encode(byte[] context) {
    return ByteBuffer.allocate(9 + context.length)
        .put((byte) type.ordinal())
        .putLong(nodeId)
        .put(context)
        .array();
  }

  /** Returns the application context after the change in entry data (empty when none). */
  public static byte[] context(byte[] data) {
    return Arrays.copyOfRange(data, Math.min(9, data.length), data.length);
  }

  /**
   * Decodes entry data written by {@link #encode()} or {@link #encode(byte[])}.
   *
   * @throws IllegalArgumentException if the data is not a conf change
   */
  public static ConfChange decode(byte[] data) {
    if (data.length < 9 || data[0] < 0 || data[0] >= ConfChangeType.values().length) {
      throw new IllegalArgumentException("not a conf change: " + data.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    return new ConfChange(ConfChangeType.values()[b.get()], b.getLong());
  }
}
