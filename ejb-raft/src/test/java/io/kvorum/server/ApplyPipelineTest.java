package io.kvorum.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvorum.kv.core.CommittedEntry;
import io.kvorum.kv.core.KvBackend;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.MemoryKvBackend;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.PutRequest;
import io.kvorum.kv.core.PutResponse;
import io.kvorum.kv.core.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ApplyPipelineTest {
  private static List<CommittedEntry> puts(long from, long to) {
    List<CommittedEntry> b = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      b.add(new CommittedEntry(i, PutRequest.of("k" + i, "v" + i)));
    }
    return b;
  }

  @Test
  void batchesAreAppliedInOrderAndDrainWaitsForAllOfThem() throws Exception {
    MvccStore store = MvccStore.open(new MemoryKvBackend(), KvConfig.defaults());
    List<Long> appliedUpTo = new CopyOnWriteArrayList<>();
    List<Long> revisions = new CopyOnWriteArrayList<>();
    try (ApplyPipeline p =
        new ApplyPipeline(store, Thread::new, "apply-test", appliedUpTo::add, e -> {})) {
      p.start();
      for (long i = 1; i <= 200; i += 10) {
        p.submit(
            puts(i, i + 9),
            results ->
                results.forEach(
                    r -> revisions.add(((PutResponse) r.response()).header().revision())));
      }
      p.drain();
      assertEquals(200, p.applied());
      assertEquals(200, store.appliedIndex());
      assertEquals(201, store.currentRevision());
      assertEquals(200, revisions.size());
      for (int i = 0; i < 200; i++) {
        assertEquals(i + 2, revisions.get(i), "results in submission order");
      }
      assertEquals(200L, appliedUpTo.get(appliedUpTo.size() - 1));
    }
  }

  @Test
  void aStorageFailureIsReportedAndDrainRefusesToPretend() throws Exception {
    MemoryKvBackend memory = new MemoryKvBackend();
    KvBackend failing =
        new KvBackend() {
          @Override
          public io.kvorum.kv.core.StoreMeta load(
              java.util.function.Consumer<io.kvorum.kv.core.IndexEntry> sink) {
            return memory.load(sink);
          }

          @Override
          public List<io.kvorum.kv.core.LeaseRecord> loadLeases() {
            return memory.loadLeases();
          }

          @Override
          public List<io.kvorum.kv.core.KeyValue> fetch(List<io.kvorum.kv.core.Revision> r) {
            return memory.fetch(r);
          }

          @Override
          public List<io.kvorum.kv.core.RevisionRow> history(
              long fromMain, int fromSub, long toMain, int maxRows) {
            return memory.history(fromMain, fromSub, toMain, maxRows);
          }

          @Override
          public void commit(WriteBatch batch) {
            throw new IllegalStateException("disk full");
          }

          @Override
          public boolean isEmpty() {
            return memory.isEmpty();
          }

          @Override
          public void clear() {
            memory.clear();
          }
        };
    MvccStore store = MvccStore.open(failing, KvConfig.defaults());
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    try (ApplyPipeline p =
        new ApplyPipeline(store, Thread::new, "apply-fail", i -> {}, failure::set)) {
      p.start();
      p.submit(puts(1, 3), results -> {});
      assertThrows(IllegalStateException.class, p::drain);
      assertInstanceOf(IllegalStateException.class, failure.get());
      assertEquals(0, p.applied(), "nothing counted as applied");
    }
  }
}
