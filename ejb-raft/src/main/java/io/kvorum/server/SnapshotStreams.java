package io.kvorum.server;

import io.kvorum.kv.core.KvSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Bridges the MVCC store's snapshot (a sequence of chunks) and the Raft log's snapshot data (a
 * stream), both ways, with memory bounded by one chunk.
 */
final class SnapshotStreams {
  private SnapshotStreams() {}

  /** The snapshot's chunks as one stream, produced as it is read. */
  static InputStream of(KvSnapshot snapshot) {
    return new InputStream() {
      private byte[] chunk = new byte[0];
      private int pos;
      private boolean done;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (len == 0) {
          return 0;
        }
        while (pos == chunk.length) {
          if (done) {
            return -1;
          }
          byte[] next = snapshot.nextChunk();
          if (next == null) {
            done = true;
            return -1;
          }
          chunk = next;
          pos = 0;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /**
   * A stream as chunks of at most {@code chunkBytes}, for one pass (the store's restore reads it
   * once). Closes the stream at its end.
   */
  static Iterable<byte[]> chunks(InputStream in, int chunkBytes) {
    return () ->
        new Iterator<>() {
          private byte[] next = read();

          private byte[] read() {
            try {
              byte[] b = in.readNBytes(chunkBytes);
              if (b.length == 0) {
                in.close();
                return null;
              }
              return b;
            } catch (IOException e) {
              throw new UncheckedIOException("reading the snapshot data", e);
            }
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public byte[] next() {
            if (next == null) {
              throw new NoSuchElementException();
            }
            byte[] b = next;
            next = read();
            return b;
          }
        };
  }
}
