package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Consumer;

/**
 * After a failed commit the in-memory state is ahead of storage: the store must refuse reads as
 * well as writes until it is reopened, instead of answering with state that was never committed.
 */
class BrokenStoreTest {
  /** Delegates to a real backend; fails the next commit when asked, before writing anything. */
  private static final class FailingBackend implements KvBackend {
    private final KvBackend delegate;
    boolean failNextCommit;

    FailingBackend(KvBackend delegate) {
      this.delegate = delegate;
    }

    @Override
    public StoreMeta load(Consumer<IndexEntry> sink) {
      return delegate.load(sink);
    }

    @Override
    public List<LeaseRecord> loadLeases() {
      return delegate.loadLeases();
    }

    @Override
    public List<KeyValue> fetch(List<Revision> revisions) {
      return delegate.fetch(revisions);
    }

    @Override
    public List<RevisionRow> history(long fromMain, int fromSub, long toMain, int maxRows) {
      return delegate.history(fromMain, fromSub, toMain, maxRows);
    }

    @Override
    public void commit(WriteBatch batch) {
      if (failNextCommit) {
        failNextCommit = false;
        throw new IllegalStateException("injected commit failure");
      }
      delegate.commit(batch);
    }

    @Override
    public boolean isEmpty() {
      return delegate.isEmpty();
    }

    @Override
    public void clear() {
      delegate.clear();
    }
  }

  @OnBothStores
  void readsAfterAFailedCommitAreRefusedUntilReopen(StoreKind kind) {
    FailingBackend backend = new FailingBackend(kind.fresh());
    MvccStore s = MvccStore.open(backend, KvConfig.defaults());
    s.apply(1, PutRequest.of("a", "1"));
    s.lessor().promote(0);
    WatchStream w = s.watches().openStream(null);
    w.create(WatchCreateRequest.of(new byte[] {0}, new byte[] {0}, 1));
    backend.failNextCommit = true;
    List<CommittedEntry> batch =
        List.of(
            new CommittedEntry(2, PutRequest.of("b", "1")),
            new CommittedEntry(3, new LeaseGrantRequest(60, 5)));
    assertThrows(IllegalStateException.class, () -> s.applyBatch(batch));
    // before the fix: count 2 (b was never committed), lease 5 known, HashKV over a missing row
    RangeRequest count = RangeRequest.of(new byte[] {0}, new byte[] {0}).withCountOnly(true);
    assertThrows(IllegalStateException.class, () -> s.range(count));
    assertThrows(IllegalStateException.class, () -> s.leaseTimeToLive(5, false, 0));
    assertThrows(IllegalStateException.class, () -> s.hashKv(0));
    assertThrows(IllegalStateException.class, s::hash);
    assertThrows(IllegalStateException.class, () -> w.poll(10));
    // the leader's lease calls too: lease 5 was granted only in the failed batch
    assertThrows(IllegalStateException.class, () -> s.lessor().keepAlive(5, 1000));
    assertThrows(IllegalStateException.class, () -> s.lessor().expired(999_999, 10));
    assertThrows(IllegalStateException.class, () -> s.lessor().leases());
    MvccStore reopened = MvccStore.open(backend, KvConfig.defaults());
    assertEquals(1, reopened.range(count).count());
    assertEquals(-1, reopened.leaseTimeToLive(5, false, 0).ttl());
  }
}
