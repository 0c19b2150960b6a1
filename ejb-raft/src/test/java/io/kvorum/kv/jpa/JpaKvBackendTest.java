package io.kvorum.kv.jpa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.kv.core.CommittedEntry;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.LeaseGrantRequest;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.core.PutRequest;
import io.kvorum.kv.core.RangeRequest;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What only the JPA backend can get wrong: atomic batches, large values, idempotent DDL. */
class JpaKvBackendTest {
  /**
   * Fails the next transaction after its work ran and was flushed: nothing of it may persist. The
   * batch in the test reads nothing from storage, so its first transaction is the commit.
   */
  private static final class FailingTransactions implements JpaTransactions {
    private final JpaTransactions delegate = H2TestDatabase.transactions();
    boolean failNextWrite;

    @Override
    public <T> T inTransaction(Function<EntityManager, T> work) {
      return delegate.inTransaction(
          em -> {
            T result = work.apply(em);
            if (failNextWrite
                && em.contains(em.find(io.kvorum.persistence.kv.KvMetaEntity.class, 1))) {
              failNextWrite = false;
              em.flush();
              throw new IllegalStateException("injected commit failure");
            }
            return result;
          });
    }
  }

  @Test
  void aFailedBatchLeavesNothingAndIsReappliedAfterReopen() {
    H2TestDatabase.freshBackend();
    FailingTransactions tx = new FailingTransactions();
    MvccStore s = MvccStore.open(new JpaKvBackend(tx), KvConfig.defaults());
    s.apply(1, PutRequest.of("a", "1"));
    List<CommittedEntry> batch =
        List.of(
            new CommittedEntry(2, PutRequest.of("a", "2")),
            new CommittedEntry(3, new LeaseGrantRequest(60, 5)),
            new CommittedEntry(4, PutRequest.of("b", "1").withLease(5)));
    tx.failNextWrite = true;
    assertThrows(IllegalStateException.class, () -> s.applyBatch(batch));
    assertThrows(IllegalStateException.class, () -> s.apply(5, PutRequest.of("c", "1")));
    MvccStore reopened = MvccStore.open(new JpaKvBackend(tx), KvConfig.defaults());
    assertEquals(1, reopened.appliedIndex(), "the applied index rolled back with the KV changes");
    assertEquals(2, reopened.currentRevision());
    assertEquals(List.of(), reopened.lessor().leases());
    reopened.applyBatch(batch);
    assertEquals(4, reopened.currentRevision());
    assertEquals(5, reopened.range(RangeRequest.of("b")).kvs().get(0).lease());
  }

  @Test
  void valuesUpToTheRequestLimitAndBinaryKeysRoundTrip() {
    MvccStore s = MvccStore.open(H2TestDatabase.freshBackend(), KvConfig.defaults());
    byte[] big = new byte[1536 * 1024 - 64];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    byte[] key = {0, (byte) 0xff, 1, (byte) 0x80};
    s.apply(1, new PutRequest(key, big, 0, false, false, false));
    MvccStore again =
        MvccStore.open(new JpaKvBackend(H2TestDatabase.transactions()), KvConfig.defaults());
    assertArrayEquals(big, again.range(RangeRequest.of(key, null)).kvs().get(0).value());
    assertTrue(again.range(RangeRequest.of(new byte[] {0}, new byte[] {1})).count() == 1);
  }
}
