package io.kvorum.raft.core;

import java.nio.ByteBuffer;

/**
 * One single-server membership change, carried by a {@link EntryType#CONF_CHANGE} entry.
 *
 * @param type what changes
 * @param nodeId the node it changes
 */
public record ConfChange(ConfChangeType type, long nodeId) {
  /** Encodes this change as entry data (9 bytes: type, node id). */
  public byte[] encode() {
    return ByteBuffer.allocate(9).put((byte) type.ordinal()).putLong(nodeId).array();
  }

  /**
   * Decodes entry data written by {@link #encode()}.
   *
   * @throws IllegalArgumentException if the data is not a conf change
   */
  public static ConfChange decode(byte[] data) {
    if (data.length != 9 || data[0] < 0 || data[0] >= ConfChangeType.values().length) {
      throw new IllegalArgumentException("not a conf change: " + data.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    return new ConfChange(ConfChangeType.values()[b.get()], b.getLong());
  }
}
