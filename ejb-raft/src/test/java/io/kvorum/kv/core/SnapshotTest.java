package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/** Snapshots: streamed in bounded chunks, restored into an empty store of either kind. */
class SnapshotTest {
  private static TestStore populated(StoreKind kind) {
    TestStore s = new TestStore(kind);
    for (int i = 0; i < 300; i++) {
      s.put("bulk/" + i, "value " + i);
    }
    RandomRequests gen = new RandomRequests(42);
    for (int i = 0; i < 600; i++) {
      gen.revisionHint(s.store.currentRevision());
      s.apply(gen.next());
    }
    s.ok(new LeaseGrantRequest(100, 77));
    s.ok(PutRequest.of("leased", "x").withLease(77));
    return s;
  }

  @OnBothStores
  void snapshotRestoresTheSameState(StoreKind kind) {
    TestStore src = populated(StoreKind.MEMORY);
    KvSnapshot snap = src.store.snapshot(2048);
    List<byte[]> chunks = snap.readAll();
    assertTrue(chunks.size() > 3, "streamed in several chunks");
    for (byte[] c : chunks.subList(0, chunks.size() - 1)) {
      assertTrue(c.length < 2048 + 256, "chunks stay near the requested size");
    }
    MvccStore restored = MvccStore.restore(kind.fresh(), KvConfig.defaults(), chunks);
    assertEquals(src.store.appliedIndex(), restored.appliedIndex());
    assertEquals(src.store.currentRevision(), restored.currentRevision());
    assertEquals(src.store.compactRevision(), restored.compactRevision());
    assertEquals(src.store.hash(), restored.hash());
    assertEquals(src.store.hashKv(0).hash(), restored.hashKv(0).hash());
    RangeRequest all = RangeRequest.of(new byte[] {0}, new byte[] {0});
    assertEquals(src.store.range(all), restored.range(all));
    restored.apply(src.index + 1, new LeaseRevokeRequest(77));
    assertTrue(restored.range(RangeRequest.of("leased")).kvs().isEmpty(), "leases restored");
  }

  @OnBothStores
  void restoringInPlaceReplacesEveryKeyLeaseAndRevisionAndWatchersCatchUpOrAreCancelled(
      StoreKind kind) {
    TestStore src = populated(StoreKind.MEMORY);
    TestStore dst = new TestStore(kind);
    for (int i = 0; i < 50; i++) {
      dst.put("stale/" + i, "old");
    }
    dst.ok(new LeaseGrantRequest(100, 5));
    WatchStream watches = dst.store.watches().openStream(() -> {});
    long caughtUp =
        watches.create(
            WatchCreateRequest.of(
                "bulk/".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "bulk0".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                dst.store.currentRevision() + 1));
    dst.store.restoreSnapshot(src.store.snapshot(1024).readAll());
    assertEquals(src.store.appliedIndex(), dst.store.appliedIndex());
    assertEquals(src.store.currentRevision(), dst.store.currentRevision());
    assertEquals(src.store.hashKv(0).hash(), dst.store.hashKv(0).hash());
    assertTrue(dst.store.range(RangeRequest.prefix("stale/")).kvs().isEmpty());
    assertEquals(src.store.lessor().leases(), dst.store.lessor().leases(), "the source's leases");
    assertTrue(!dst.store.lessor().leases().contains(5L), "the replaced store's lease is gone");
    List<WatchResponse> got = watches.poll(100);
    assertTrue(!got.isEmpty(), "the watcher hears of the restore");
    assertTrue(
        got.stream()
            .anyMatch(
                r -> r.watchId() == caughtUp && (r.compactRevision() > 0 || !r.events().isEmpty())),
        "it catches up from storage or is cancelled as compacted: " + got);
    dst.store.apply(src.store.appliedIndex() + 1, PutRequest.of("next", "1"));
    assertEquals(src.store.currentRevision() + 1, dst.store.currentRevision());
    MvccStore reopened = MvccStore.open(dst.backend, KvConfig.defaults());
    assertEquals(dst.store.hashKv(0).hash(), reopened.hashKv(0).hash());
  }

  @OnBothStores
  void aCorruptOrTruncatedStreamIsRejected(StoreKind kind) {
    TestStore src = populated(StoreKind.MEMORY);
    List<byte[]> chunks = src.store.snapshot(4096).readAll();
    List<byte[]> corrupt = new ArrayList<>(chunks);
    byte[] mid = corrupt.get(1).clone();
    mid[mid.length / 2] ^= 1;
    corrupt.set(1, mid);
    assertThrows(
        IllegalArgumentException.class,
        () -> MvccStore.restore(kind.fresh(), KvConfig.defaults(), corrupt));
    List<byte[]> truncated = chunks.subList(0, chunks.size() - 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> MvccStore.restore(kind.fresh(), KvConfig.defaults(), truncated));
    TestStore notEmpty = new TestStore(kind);
    notEmpty.put("a", "1");
    assertThrows(
        IllegalStateException.class,
        () -> MvccStore.restore(notEmpty.backend, KvConfig.defaults(), chunks));
  }

  @OnBothStores
  void aCompactionWhileStreamingInvalidatesTheSnapshot(StoreKind kind) {
    TestStore s = new TestStore(kind);
    for (int i = 0; i < 600; i++) {
      s.put("k" + (i % 10), "v" + i);
    }
    KvSnapshot snap = s.store.snapshot(1024);
    snap.nextChunk();
    s.ok(new CompactionRequest(450, true));
    assertThrows(IllegalStateException.class, snap::readAll);
  }

  @OnBothStores
  void aMemberInstalledFromASnapshotThenFollowsTheLogIdentically(StoreKind kind) {
    MvccStore leader = MvccStore.open(new MemoryKvBackend(), KvConfig.defaults());
    RandomRequests gen = new RandomRequests(99);
    List<KvRequest> log = new ArrayList<>();
    for (int i = 1; i <= 3000; i++) {
      gen.revisionHint(leader.currentRevision());
      KvRequest r = gen.next();
      log.add(r);
      if (i <= 1500) {
        leader.apply(i, r);
      }
    }
    MvccStore follower =
        MvccStore.restore(kind.fresh(), KvConfig.defaults(), leader.snapshot(8192).readAll());
    assertEquals(1500, follower.appliedIndex());
    List<CommittedEntry> rest = new ArrayList<>();
    for (int i = 1501; i <= 3000; i++) {
      rest.add(new CommittedEntry(i, log.get(i - 1)));
    }
    List<ApplyResult> a = leader.applyBatch(rest);
    List<ApplyResult> b = follower.applyBatch(rest);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(String.valueOf(a.get(i).response()), String.valueOf(b.get(i).response()));
      assertEquals(String.valueOf(a.get(i).error()), String.valueOf(b.get(i).error()));
    }
    assertEquals(leader.hash(), follower.hash());
  }
}
