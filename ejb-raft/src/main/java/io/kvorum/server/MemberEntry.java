package io.kvorum.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Membership data in the Raft log, with who waits for its outcome: the context of a conf-change
 * entry (the member added, with its peer URLs, as etcd's ConfChange.Context), and normal entries
 * that change a member's attributes (a member publishing its name and client URLs after start,
 * MemberUpdate's new peer URLs).
 *
 * <p>A normal membership entry starts with 8 zero bytes (an {@link Envelope} never does: its first
 * 8 bytes are the proposing member's id, never 0) and a magic number.
 *
 * @param kind what the entry does
 * @param origin the member that proposed it; only it completes the caller's future
 * @param requestId the origin's id for the waiting caller; 0 when nobody waits
 * @param member the member concerned, with the attributes the entry sets
 */
record MemberEntry(Kind kind, long origin, long requestId, MemberRecord member) {
  private static final int MAGIC = 0x4b564d42; // "KVMB"

  enum Kind {
    /** The context of a conf change. */
    CONF_CHANGE,
    /** A member publishes its name and client URLs. */
    ATTRIBUTES,
    /** MemberUpdate: new peer URLs. */
    PEER_URLS
  }

  /** Encodes the context of a conf change. */
  byte[] encodeContext() {
    return MemberRecord.Codec.write(
        out -> {
          out.writeByte(kind.ordinal());
          out.writeLong(origin);
          out.writeLong(requestId);
          member.writeTo(out);
        });
  }

  /** Encodes a normal entry's data. */
  byte[] encodeEntry() {
    byte[] body = encodeContext();
    return ByteBuffer.allocate(12 + body.length).putLong(0).putInt(MAGIC).put(body).array();
  }

  /** Whether normal entry data is a membership entry rather than an {@link Envelope}. */
  static boolean isMemberEntry(byte[] data) {
    return data.length > 12
        && ByteBuffer.wrap(data).getLong() == 0
        && ByteBuffer.wrap(data, 8, 4).getInt() == MAGIC;
  }

  static MemberEntry decodeEntry(byte[] data) {
    return decodeContext(Arrays.copyOfRange(data, 12, data.length));
  }

  /** Decodes a conf change's context; null when it has none (the bootstrap entries). */
  static MemberEntry decodeContext(byte[] context) {
    if (context.length == 0) {
      return null;
    }
    return MemberRecord.Codec.read(context, MemberEntry::readFrom);
  }

  private static MemberEntry readFrom(DataInputStream in) throws IOException {
    Kind kind = Kind.values()[in.readUnsignedByte()];
    return new MemberEntry(kind, in.readLong(), in.readLong(), MemberRecord.readFrom(in));
  }
}
