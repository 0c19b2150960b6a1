package io.kvorum.kv.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte-string helpers in etcd's terms: keys compare as unsigned bytes, as in Go. */
public final class Bytes {
  static final byte[] EMPTY = new byte[0];

  private Bytes() {}

  /** UTF-8 bytes of a string; for tests and callers working with text keys. */
  public static byte[] of(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Unsigned lexicographic order, the order of etcd's key space. */
  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /**
   * The range_end that selects every key with this prefix: the prefix with its last byte
   * incremented, trailing 0xff bytes dropped; {@code "\0"} (all keys) if the prefix is all 0xff.
   */
  public static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return new byte[] {0};
  }

  static String show(byte[] b) {
    if (b == null) {
      return "null";
    }
    StringBuilder s = new StringBuilder("\"");
    for (byte x : b) {
      if (x >= 0x20 && x < 0x7f) {
        s.append((char) x);
      } else {
        s.append(String.format("\\x%02x", x & 0xff));
      }
    }
    return s.append('"').toString();
  }
}
