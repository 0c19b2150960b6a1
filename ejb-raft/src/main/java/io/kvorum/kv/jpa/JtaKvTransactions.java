package io.kvorum.kv.jpa;

import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.function.Function;

/**
 * {@link JpaTransactions} in the container: each call is a new container-managed JTA transaction
 * (REQUIRES_NEW) on the persistence unit "kvorum" ({@code java:app/jdbc/kvorum}). Not yet exercised
 * in a container (no Arquillian test in this module).
 */
@Stateless
@Local(JpaTransactions.class)
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class JtaKvTransactions implements JpaTransactions {
  @PersistenceContext(unitName = "kvorum")
  private EntityManager em;

  /**
   * Runs {@code work} with the transaction-scoped EntityManager. A runtime exception from it, or a
   * failed commit, rolls the transaction back and reaches the caller as an {@code EJBException} (a
   * RuntimeException).
   */
  @Override
  public <T> T inTransaction(Function<EntityManager, T> work) {
    return work.apply(em);
  }
}
