package io.kvorum.kv.core;

import java.util.Arrays;

/**
 * A deterministic binary encoding over byte arrays: varints (LEB128) for lengths, zig-zag varints
 * for signed numbers, length-prefixed byte strings. The same value always encodes to the same
 * bytes.
 */
final class Wire {
  private Wire() {}

  /** Appends to a growable array. */
  static final class Writer {
    private byte[] buf = new byte[64];
    private int len;

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    Writer u8(int b) {
      ensure(1);
      buf[len++] = (byte) b;
      return this;
    }

    Writer bool(boolean b) {
      return u8(b ? 1 : 0);
    }

    Writer uvarint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[len++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
      return this;
    }

    Writer varint(long v) {
      return uvarint((v << 1) ^ (v >> 63));
    }

    Writer bytes(byte[] b) {
      uvarint(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    Writer raw(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    int length() {
      return len;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, len);
    }
  }

  /** Reads what a {@link Writer} wrote; throws IllegalArgumentException on malformed input. */
  static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    private void need(int n) {
      if (n < 0 || pos + n > buf.length) {
        throw new IllegalArgumentException("truncated input at " + pos);
      }
    }

    int u8() {
      need(1);
      return buf[pos++] & 0xff;
    }

    boolean bool() {
      int b = u8();
      if (b > 1) {
        throw new IllegalArgumentException("bad boolean " + b);
      }
      return b == 1;
    }

    long uvarint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8();
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    long varint() {
      long u = uvarint();
      return (u >>> 1) ^ -(u & 1);
    }

    int length() {
      long n = uvarint();
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("length too large " + n);
      }
      return (int) n;
    }

    byte[] bytes() {
      int n = length();
      need(n);
      byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return b;
    }

    byte[] raw(int n) {
      need(n);
      byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return b;
    }

    boolean atEnd() {
      return pos == buf.length;
    }

    <E extends Enum<E>> E enumOf(E[] values) {
      int i = u8();
      if (i >= values.length) {
        throw new IllegalArgumentException("bad enum ordinal " + i);
      }
      return values[i];
    }
  }
}
