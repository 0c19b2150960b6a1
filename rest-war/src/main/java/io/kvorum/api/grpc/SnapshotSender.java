package io.kvorum.api.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvorum.api.pb.etcdserverpb.SnapshotResponse;
import io.kvorum.kv.core.KvSnapshot;
import io.kvorum.kv.core.MvccStore;

/**
 * Streams Maintenance.Snapshot: the member's {@link KvSnapshot} (Kvorum's format, see
 * docs/maintenance.md) in messages of about {@value #CHUNK_BYTES} bytes, as etcd sends its bbolt
 * file in 32 KiB blobs. Follows gRPC flow control: a chunk is read from the store only when the
 * client can take it, so a slow reader holds no more than one chunk in memory.
 *
 * <p>remaining_bytes: etcd knows its file's size in advance, Kvorum does not; every message but the
 * last carries an estimate from the store's in-use size (at least 1), the last one 0, which is all
 * clients rely on (etcdctl ignores the field).
 */
final class SnapshotSender {
  static final int CHUNK_BYTES = 32 * 1024;

  private final KvSnapshot snapshot;
  private final long estimate;
  private final ServerCallStreamObserver<SnapshotResponse> call;
  private long sent;
  private boolean done;

  /** The chunk after the one being sent (read ahead to mark the last message), null at the end. */
  private byte[] ahead;

  private SnapshotSender(MvccStore store, ServerCallStreamObserver<SnapshotResponse> call) {
    this.snapshot = store.snapshot(CHUNK_BYTES);
    this.estimate = store.dbSize();
    this.call = call;
  }

  /** Starts streaming {@code store}'s snapshot to {@code out}; returns at once. */
  static void start(MvccStore store, StreamObserver<SnapshotResponse> out) {
    var call = (ServerCallStreamObserver<SnapshotResponse>) out;
    SnapshotSender s = new SnapshotSender(store, call);
    call.setOnCancelHandler(s::cancel);
    call.setOnReadyHandler(s::pump);
    s.pump();
  }

  private synchronized void cancel() {
    done = true;
  }

  private synchronized void pump() {
    while (!done && call.isReady()) {
      byte[] chunk;
      try {
        chunk = ahead != null ? ahead : snapshot.nextChunk();
        ahead = chunk == null ? null : snapshot.nextChunk();
      } catch (IllegalStateException e) {
        // a compaction removed rows the snapshot still had to send: a new Snapshot call succeeds
        fail(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        return;
      } catch (RuntimeException e) {
        fail(MemberView.toStatus(e));
        return;
      }
      if (chunk == null) {
        done = true;
        call.onCompleted();
        return;
      }
      sent += chunk.length;
      boolean last = ahead == null;
      call.onNext(
          SnapshotResponse.newBuilder()
              .setRemainingBytes(last ? 0 : Math.max(1, estimate - sent))
              .setBlob(ByteString.copyFrom(chunk))
              .build());
      if (last) {
        done = true;
        call.onCompleted();
      }
    }
  }

  private void fail(RuntimeException e) {
    done = true;
    call.onError(e);
  }
}
