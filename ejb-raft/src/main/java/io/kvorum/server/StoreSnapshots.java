package io.kvorum.server;

import io.kvorum.kv.core.MvccStore;
import io.kvorum.raft.core.ConfState;
import io.kvorum.raft.core.DurableLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.logging.Logger;

/**
 * The two ways the MVCC store and the Raft log's snapshot meet (driver thread only): every {@code
 * snapshot-count} applied entries the store's state becomes the log's snapshot and the entries it
 * covers are dropped; when the log holds a newer snapshot than the store (installed from the
 * leader, or a restore interrupted by a crash), the store is restored from it.
 *
 * <p>The log's snapshot data is the member's membership ({@link MembershipState#encode}) framed as
 * {@code "KVMEMB01"}, a 4-byte length and the bytes, followed by the MVCC store's snapshot stream
 * (docs/maintenance.md). Data without the frame is the store's stream alone.
 */
final class StoreSnapshots {
  private static final Logger LOG = Logger.getLogger(StoreSnapshots.class.getName());
  private static final int CHUNK_BYTES = 1 << 20;
  private static final byte[] MEMBERSHIP_MAGIC = "KVMEMB01".getBytes(StandardCharsets.US_ASCII);

  private final String member;
  private final DurableLog log;
  private final MvccStore store;
  private long count;

  StoreSnapshots(long memberId, DurableLog log, MvccStore store) {
    this.member = Long.toHexString(memberId);
    this.log = log;
    this.store = store;
  }

  /** Applied entries between snapshots (etcd's {@code snapshot-count}); 0 never snapshots. */
  void setCount(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("snapshot-count must be >= 0, not " + count);
    }
    this.count = count;
  }

  /** Whether {@code count} entries were applied since the log's snapshot. */
  boolean isDue(long applied) {
    return count > 0 && applied - log.snapshot().index() >= count;
  }

  /** Whether the log's snapshot is ahead of the store, which must then be restored from it. */
  boolean storeBehindLog() {
    return store.appliedIndex() < log.snapshot().index();
  }

  /**
   * Replaces the store's state with the log's snapshot.
   *
   * @return the membership recorded with the snapshot, or null if it has none
   */
  byte[] restoreStore() {
    long started = System.nanoTime();
    PushbackInputStream in = new PushbackInputStream(log.snapshotData(), MEMBERSHIP_MAGIC.length);
    byte[] membership;
    try {
      membership = readMembership(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the snapshot's membership", e);
    }
    store.restoreSnapshot(SnapshotStreams.chunks(in, CHUNK_BYTES));
    if (store.appliedIndex() != log.snapshot().index()) {
      throw new IllegalStateException(
          "snapshot data is for index "
              + store.appliedIndex()
              + " but the log's snapshot is at "
              + log.snapshot().index());
    }
    LOG.info(
        () ->
            "member "
                + member
                + " restored its store from the snapshot at index "
                + log.snapshot().index()
                + " (revision "
                + store.currentRevision()
                + ", "
                + (System.nanoTime() - started) / 1_000_000
                + " ms)");
    return membership;
  }

  private static byte[] readMembership(PushbackInputStream in) throws IOException {
    byte[] magic = in.readNBytes(MEMBERSHIP_MAGIC.length);
    if (!Arrays.equals(magic, MEMBERSHIP_MAGIC)) {
      in.unread(magic);
      return null;
    }
    int n = new DataInputStream(in).readInt();
    if (n < 0 || n > CHUNK_BYTES) {
      throw new IOException("bad membership length " + n);
    }
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IOException("snapshot data ends inside its membership");
    }
    return b;
  }

  private static InputStream framed(byte[] membership, InputStream kv) {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.writeBytes(MEMBERSHIP_MAGIC);
    head.writeBytes(ByteBuffer.allocate(4).putInt(membership.length).array());
    head.writeBytes(membership);
    return new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), kv);
  }

  /**
   * Snapshots the store if {@code count} entries were applied since the last snapshot. Call after
   * the core's advance, so that {@code confState} is the membership at {@code applied}.
   */
  void createIfDue(long applied, ConfState confState, byte[] membership) {
    if (!isDue(applied)) {
      return;
    }
    long started = System.nanoTime();
    try {
      log.createSnapshot(
          applied,
          confState,
          membership == null
              ? SnapshotStreams.of(store.snapshot(CHUNK_BYTES))
              : framed(membership, SnapshotStreams.of(store.snapshot(CHUNK_BYTES))));
    } catch (IOException e) {
      throw new UncheckedIOException("creating a snapshot at " + applied, e);
    }
    LOG.info(
        () ->
            "member "
                + member
                + " snapshotted at index "
                + applied
                + " ("
                + log.snapshot().size()
                + " bytes, "
                + (System.nanoTime() - started) / 1_000_000
                + " ms); the log behind it is dropped");
  }
}
