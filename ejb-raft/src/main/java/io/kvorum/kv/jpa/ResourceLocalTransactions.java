package io.kvorum.kv.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.function.Function;

/**
 * {@link JpaTransactions} on a RESOURCE_LOCAL EntityManagerFactory, one EntityManager and one
 * database transaction per call. The member's Raft log and KV store use it (no JTA: a container
 * transaction around every Ready cost ~10 ms; see docs/cluster-runtime.md), and so do the tests.
 */
public final class ResourceLocalTransactions implements JpaTransactions {
  private final EntityManagerFactory emf;

  public ResourceLocalTransactions(EntityManagerFactory emf) {
    this.emf = emf;
  }

  @Override
  public <T> T inTransaction(Function<EntityManager, T> work) {
    EntityManager em = emf.createEntityManager();
    EntityTransaction t = em.getTransaction();
    try {
      t.begin();
      T result = work.apply(em);
      t.commit();
      return result;
    } catch (RuntimeException e) {
      if (t.isActive()) {
        t.rollback();
      }
      throw e;
    } finally {
      em.close();
    }
  }
}
