package io.kvorum.kv.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of the whole KV state, streamed in chunks with bounded memory (for Raft's
 * InstallSnapshot and {@code snapshot save}). It pins the state at creation: metadata and leases
 * are captured, then the rows with main revision &lt;= the current revision are read page by page.
 * A compaction applied while streaming invalidates it ({@link IllegalStateException}); take a new
 * one.
 *
 * <p>Format: "KVSNAP01", records (4-byte big-endian length + payload: 1 meta, 2 lease, 3 row), a
 * zero length, zero bytes up to a multiple of 512 bytes, then the SHA-256 of everything before it
 * (so the stream is {@code n * 512 + 32} bytes with a SHA-256 trailer, as etcd's snapshots are).
 * Restored by {@link MvccStore#restore(KvBackend, KvConfig, Iterable)}.
 *
 * <p>Threading: one consumer at a time; each chunk read takes the store's lock briefly.
 */
public final class KvSnapshot {
  static final byte[] MAGIC = {'K', 'V', 'S', 'N', 'A', 'P', '0', '1'};
  static final int META = 1;
  static final int LEASE = 2;
  static final int ROW = 3;
  private static final int PAGE = 256;
  static final int ALIGN = 512;

  private final MvccStore store;
  private final int chunkBytes;
  private final StoreMeta meta;
  private final List<LeaseRecord> leases;
  private final MessageDigest sha;
  private long main;
  private int sub;
  private boolean started;

  /** Bytes of the chunks returned so far. */
  private long written;

  private boolean finished;

  KvSnapshot(MvccStore store, int chunkBytes) {
    if (chunkBytes < 64) {
      throw new IllegalArgumentException("snapshot chunk size too small: " + chunkBytes);
    }
    this.store = store;
    this.chunkBytes = chunkBytes;
    synchronized (store) {
      this.meta = store.meta();
      this.leases = store.lessor.records();
    }
    this.sha = sha256();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** The applied index the snapshot covers. */
  public long appliedIndex() {
    return meta.appliedIndex();
  }

  /** The store revision the snapshot covers. */
  public long revision() {
    return meta.currentRevision();
  }

  /**
   * The next chunk (about {@code chunkBytes}, more if one row is bigger), or null after the last.
   *
   * @throws IllegalStateException if a compaction ran since the snapshot was taken
   */
  public byte[] nextChunk() {
    if (finished) {
      return null;
    }
    Wire.Writer w = new Wire.Writer();
    if (!started) {
      started = true;
      w.raw(MAGIC);
      Wire.Writer m =
          new Wire.Writer()
              .u8(META)
              .varint(meta.appliedIndex())
              .varint(meta.currentRevision())
              .varint(meta.compactRevision())
              .uvarint(meta.alarms().size());
      for (AlarmResponse.AlarmMember a : meta.alarms()) {
        m.varint(a.memberId()).u8(a.alarm().ordinal());
      }
      record(w, m.toByteArray());
      for (LeaseRecord l : leases) {
        record(
            w,
            new Wire.Writer()
                .u8(LEASE)
                .varint(l.id())
                .varint(l.ttl())
                .varint(l.remainingTtl())
                .toByteArray());
      }
    }
    while (w.length() < chunkBytes) {
      List<RevisionRow> page;
      synchronized (store) {
        if (store.compactRevision != meta.compactRevision()) {
          throw new IllegalStateException("a compaction ran while the snapshot was streamed");
        }
        page = store.history(main, sub, meta.currentRevision(), PAGE);
      }
      int used = 0;
      for (RevisionRow r : page) {
        byte[] row = KvHasher.encode(r);
        byte[] rec = new byte[row.length + 1];
        rec[0] = ROW;
        System.arraycopy(row, 0, rec, 1, row.length);
        record(w, rec);
        main = r.revision().main();
        sub = r.revision().sub() + 1;
        used++;
        if (w.length() >= chunkBytes) {
          break;
        }
      }
      if (page.size() < PAGE && used == page.size()) {
        w.raw(new byte[4]);
        w.raw(new byte[padding(written + w.length())]);
        byte[] body = w.toByteArray();
        sha.update(body);
        finished = true;
        byte[] digest = sha.digest();
        byte[] out = new byte[body.length + digest.length];
        System.arraycopy(body, 0, out, 0, body.length);
        System.arraycopy(digest, 0, out, body.length, digest.length);
        return out;
      }
    }
    byte[] body = w.toByteArray();
    sha.update(body);
    written += body.length;
    return body;
  }

  /**
   * Zeros after the end record that make everything before the checksum a multiple of {@value
   * #ALIGN} bytes: etcd's snapshot files are bbolt pages plus a SHA-256, and etcdctl 3.4's {@code
   * snapshot save} refuses a stream whose size is not {@code n * 512 + 32}.
   */
  static int padding(long bodyBytes) {
    return (int) ((ALIGN - bodyBytes % ALIGN) % ALIGN);
  }

  private static void record(Wire.Writer w, byte[] payload) {
    int n = payload.length;
    w.raw(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    w.raw(payload);
  }

  /** Reads all chunks into a list; for tests and small stores only. */
  public List<byte[]> readAll() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] c = nextChunk(); c != null; c = nextChunk()) {
      out.add(c);
    }
    return out;
  }
}
