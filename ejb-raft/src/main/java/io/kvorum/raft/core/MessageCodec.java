package io.kvorum.raft.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A compact binary encoding of {@link Message} for transports that ship byte[] frames. Numbers are
 * unsigned LEB128 varints (node ids are full 64-bit values, so ids and terms encode as unsigned);
 * optional fields are flagged in a presence byte. Format version 1:
 *
 * <pre>
 * version(1) type(1) flags(1) from to term logTerm index commit rejectHint snapshotOffset
 * [entries: n, n x (index term type bytes)] [context: bytes] [snapshot: index term size
 * voters learners] [snapshotData: bytes]
 * </pre>
 */
public final class MessageCodec {
  private static final byte VERSION = 1;
  private static final int REJECT = 1;
  private static final int ENTRIES = 2;
  private static final int CONTEXT = 4;
  private static final int SNAPSHOT = 8;
  private static final int SNAPSHOT_DATA = 16;

  private MessageCodec() {}

  /** Encodes a message into a new array. */
  public static byte[] encode(Message m) {
    Writer w = new Writer(64 + entryBytes(m) + len(m.snapshotData()) + len(m.context()));
    int flags =
        (m.reject() ? REJECT : 0)
            | (m.entries().isEmpty() ? 0 : ENTRIES)
            | (m.context() != null ? CONTEXT : 0)
            | (m.snapshot() != null ? SNAPSHOT : 0)
            | (m.snapshotData() != null ? SNAPSHOT_DATA : 0);
    w.raw(VERSION);
    w.raw((byte) m.type().ordinal());
    w.raw((byte) flags);
    for (long v :
        new long[] {
          m.from(),
          m.to(),
          m.term(),
          m.logTerm(),
          m.index(),
          m.commit(),
          m.rejectHint(),
          m.snapshotOffset()
        }) {
      w.varlong(v);
    }
    if (!m.entries().isEmpty()) {
      w.varlong(m.entries().size());
      for (Entry e : m.entries()) {
        w.varlong(e.index());
        w.varlong(e.term());
        w.raw((byte) e.type().ordinal());
        w.bytes(e.data());
      }
    }
    if (m.context() != null) {
      w.bytes(m.context());
    }
    if (m.snapshot() != null) {
      SnapshotMetadata s = m.snapshot();
      w.varlong(s.index());
      w.varlong(s.term());
      w.varlong(s.size());
      w.ids(s.confState().voters());
      w.ids(s.confState().learners());
    }
    if (m.snapshotData() != null) {
      w.bytes(m.snapshotData());
    }
    return w.toArray();
  }

  /**
   * Decodes a frame written by {@link #encode}.
   *
   * @throws IllegalArgumentException if the frame is truncated, of another version or malformed
   */
  public static Message decode(byte[] frame) {
    Reader r = new Reader(frame);
    try {
      if (r.raw() != VERSION) {
        throw new IllegalArgumentException("unknown message format version");
      }
      int type = r.raw();
      if (type < 0 || type >= MessageType.values().length) {
        throw new IllegalArgumentException("unknown message type " + type);
      }
      int flags = r.raw();
      Message.Builder b =
          Message.builder(MessageType.values()[type])
              .from(r.varlong())
              .to(r.varlong())
              .term(r.varlong())
              .logTerm(r.varlong())
              .index(r.varlong())
              .commit(r.varlong())
              .rejectHint(r.varlong())
              .snapshotOffset(r.varlong())
              .reject((flags & REJECT) != 0);
      if ((flags & ENTRIES) != 0) {
        int n = r.length();
        List<Entry> ents = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
          long index = r.varlong();
          long term = r.varlong();
          int et = r.raw();
          if (et < 0 || et >= EntryType.values().length) {
            throw new IllegalArgumentException("unknown entry type " + et);
          }
          ents.add(new Entry(index, term, EntryType.values()[et], r.bytes()));
        }
        b.entries(ents);
      }
      if ((flags & CONTEXT) != 0) {
        b.context(r.bytes());
      }
      if ((flags & SNAPSHOT) != 0) {
        long index = r.varlong();
        long term = r.varlong();
        long size = r.varlong();
        ConfState cs = new ConfState(r.ids(), r.ids());
        b.snapshot(new SnapshotMetadata(index, term, cs, size));
      }
      if ((flags & SNAPSHOT_DATA) != 0) {
        b.snapshotData(r.bytes());
      }
      if (r.pos != frame.length) {
        throw new IllegalArgumentException("trailing bytes in message frame");
      }
      return b.build();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("truncated message frame", e);
    }
  }

  private static int len(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static int entryBytes(Message m) {
    int n = 0;
    for (Entry e : m.entries()) {
      n += 24 + e.data().length;
    }
    return n;
  }

  private static final class Writer {
    private byte[] buf;
    private int pos;

    Writer(int capacity) {
      buf = new byte[capacity];
    }

    private void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    void raw(byte b) {
      ensure(1);
      buf[pos++] = b;
    }

    void varlong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    void bytes(byte[] b) {
      varlong(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    void ids(Set<Long> ids) {
      varlong(ids.size());
      for (long id : ids) {
        varlong(id);
      }
    }

    byte[] toArray() {
      return Arrays.copyOf(buf, pos);
    }
  }

  private static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    int raw() {
      return buf[pos++];
    }

    long varlong() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = buf[pos++];
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    int length() {
      long n = varlong();
      if (n < 0 || n > buf.length - pos) {
        throw new IllegalArgumentException("length " + n + " exceeds frame");
      }
      return (int) n;
    }

    byte[] bytes() {
      int n = length();
      byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return b;
    }

    Set<Long> ids() {
      int n = length();
      Set<Long> out = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        out.add(varlong());
      }
      return out;
    }
  }
}
