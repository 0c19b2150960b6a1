package io.kvorum.raft.jpa;

import io.kvorum.raft.core.LogStorage;
import java.io.InputStream;

/**
 * Streams the data of a {@link LogStorage}'s current snapshot through {@link
 * LogStorage#snapshotChunk}, a bounded piece at a time, for restoring a state machine without
 * holding the snapshot in memory.
 *
 * <p>Threading: like the storage, used by the driver thread only; the storage must not change
 * (persist, createSnapshot) while the stream is read.
 */
public final class SnapshotInputStream extends InputStream {
  private final LogStorage storage;
  private final long size;
  private final int pieceBytes;
  private long offset;
  private byte[] piece = new byte[0];
  private int pos;

  /**
   * @param storage the storage whose current snapshot to read
   * @param pieceBytes how many bytes to fetch at a time (at least 1)
   */
  public SnapshotInputStream(LogStorage storage, int pieceBytes) {
    if (pieceBytes < 1) {
      throw new IllegalArgumentException("pieceBytes: must be >= 1");
    }
    this.storage = storage;
    this.size = storage.snapshot().size();
    this.pieceBytes = pieceBytes;
  }

  @Override
  public int read() {
    return fill() ? piece[pos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, piece.length - pos);
    System.arraycopy(piece, pos, b, off, n);
    pos += n;
    return n;
  }

  private boolean fill() {
    if (pos < piece.length) {
      return true;
    }
    if (offset >= size) {
      return false;
    }
    piece = storage.snapshotChunk(offset, pieceBytes);
    offset += piece.length;
    pos = 0;
    return true;
  }
}
