package io.kvorum.kv.core;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Parses a {@link KvSnapshot} stream chunk by chunk, holding at most one chunk and one partial
 * record, and hands each record to a sink; {@link #finish} checks the zero padding and the SHA-256
 * trailer.
 */
final class SnapshotRestorer {
  private final Consumer<byte[]> sink;
  private final MessageDigest sha = KvSnapshot.sha256();
  private byte[] buf = new byte[0];
  private boolean magicSeen;
  private boolean ended;

  SnapshotRestorer(Consumer<byte[]> sink) {
    this.sink = sink;
  }

  /**
   * Consumes a chunk.
   *
   * @throws IllegalArgumentException if the stream is malformed
   */
  void feed(byte[] chunk) {
    byte[] b = Arrays.copyOf(buf, buf.length + chunk.length);
    System.arraycopy(chunk, 0, b, buf.length, chunk.length);
    int pos = 0;
    if (!magicSeen) {
      if (b.length < KvSnapshot.MAGIC.length) {
        buf = b;
        return;
      }
      if (!Arrays.equals(Arrays.copyOf(b, KvSnapshot.MAGIC.length), KvSnapshot.MAGIC)) {
        throw new IllegalArgumentException("not a Kvorum KV snapshot");
      }
      magicSeen = true;
      pos = KvSnapshot.MAGIC.length;
      sha.update(b, 0, pos);
    }
    while (!ended && b.length - pos >= 4) {
      int n =
          ((b[pos] & 0xff) << 24)
              | ((b[pos + 1] & 0xff) << 16)
              | ((b[pos + 2] & 0xff) << 8)
              | (b[pos + 3] & 0xff);
      if (n < 0) {
        throw new IllegalArgumentException("bad record length " + n);
      }
      if (n == 0) {
        sha.update(b, pos, 4);
        pos += 4;
        ended = true;
        break;
      }
      if (b.length - pos - 4 < n) {
        break;
      }
      sha.update(b, pos, 4 + n);
      sink.accept(Arrays.copyOfRange(b, pos + 4, pos + 4 + n));
      pos += 4 + n;
    }
    buf = Arrays.copyOfRange(b, pos, b.length);
    if (ended && buf.length > KvSnapshot.ALIGN - 1 + 32) {
      throw new IllegalArgumentException("trailing bytes after the snapshot checksum");
    }
  }

  /**
   * Checks that the stream ended with a matching checksum.
   *
   * @throws IllegalArgumentException if it is truncated or the checksum does not match
   */
  void finish() {
    if (!ended || buf.length < 32) {
      throw new IllegalArgumentException("snapshot stream is truncated");
    }
    // what follows the end record: zero padding (none in older snapshots), then the checksum
    byte[] trailer = Arrays.copyOfRange(buf, buf.length - 32, buf.length);
    for (int i = 0; i < buf.length - 32; i++) {
      if (buf[i] != 0) {
        throw new IllegalArgumentException("trailing bytes after the snapshot checksum");
      }
    }
    sha.update(buf, 0, buf.length - 32);
    if (!MessageDigest.isEqual(trailer, sha.digest())) {
      throw new IllegalArgumentException("snapshot checksum mismatch");
    }
  }
}
