package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The same 10,000 random requests applied to two fresh stores, batched differently, give the same
 * responses and errors, and equal HashKV at every 250th revision and at the end.
 */
class DeterminismTest {
  private static final int REQUESTS = 10_000;

  private static String outcome(ApplyResult a) {
    return a.error() != null ? a.error().toString() : String.valueOf(a.response());
  }

  @OnBothStores
  void sameLogSameStateOnEveryMember(StoreKind kind) {
    MvccStore a = MvccStore.open(new MemoryKvBackend(), KvConfig.defaults());
    MvccStore b = MvccStore.open(kind.fresh(), KvConfig.defaults());
    RandomRequests gen = new RandomRequests(20261124);
    Random batching = new Random(7);
    List<CommittedEntry> pendingB = new ArrayList<>();
    List<String> outA = new ArrayList<>();
    List<String> outB = new ArrayList<>();
    long checkedAt = 0;
    int checks = 0;
    for (int i = 1; i <= REQUESTS; i++) {
      gen.revisionHint(a.currentRevision());
      KvRequest r = gen.next();
      outA.add(outcome(a.apply(i, r)));
      pendingB.add(new CommittedEntry(i, r));
      if (pendingB.size() >= 1 + batching.nextInt(20) || i == REQUESTS) {
        b.applyBatch(pendingB).forEach(x -> outB.add(outcome(x)));
        pendingB.clear();
        long rev = a.currentRevision();
        if (rev - checkedAt >= 250 && rev > b.compactRevision()) {
          // HashKV refuses the compact revision itself, as etcd
          long at = Math.max(b.compactRevision() + 1, rev - 100);
          assertEquals(a.hashKv(at).hash(), b.hashKv(at).hash(), "HashKV at " + at);
          checkedAt = rev;
          checks++;
        }
      }
    }
    assertEquals(outA, outB);
    assertEquals(a.currentRevision(), b.currentRevision());
    assertEquals(a.hashKv(0).hash(), b.hashKv(0).hash());
    assertEquals(a.hash(), b.hash());
    while (b.compactStep()) {
      // finish b's physical deletion: what is visible must not change
    }
    assertEquals(a.hash(), b.hash(), "physical deletion progress is invisible");
    assertEquals(
        a.range(RangeRequest.of(new byte[] {0}, new byte[] {0})),
        b.range(RangeRequest.of(new byte[] {0}, new byte[] {0})));
    assertEquals(true, checks > 10, "checked " + checks + " revisions");
    assertEquals(true, a.currentRevision() > 2000, "the log really wrote: " + a.currentRevision());
  }
}
