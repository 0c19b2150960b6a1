package io.kvorum.kv.jpa;

import jakarta.persistence.EntityManager;
import java.util.function.Function;

/**
 * Transaction demarcation for {@link JpaKvBackend}, kept outside the adapter so it runs the same
 * under container-managed JTA (a REQUIRES_NEW bean method in the product) and RESOURCE_LOCAL
 * (tests, tools).
 */
public interface JpaTransactions {
  /**
   * Runs {@code work} in a new transaction with an EntityManager joined to it: commits when it
   * returns, rolls back when it throws.
   *
   * <p>Threading: may be called from any thread; each call uses its own transaction.
   *
   * @throws RuntimeException whatever {@code work} throws, or the persistence exception of a failed
   *     commit (the transaction is then rolled back)
   */
  <T> T inTransaction(Function<EntityManager, T> work);
}
