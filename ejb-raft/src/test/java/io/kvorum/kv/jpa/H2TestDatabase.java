package io.kvorum.kv.jpa;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.Map;

/**
 * The product's persistence unit "kvorum" opened RESOURCE_LOCAL on an in-memory H2 with the
 * product's URL flags; one per test JVM, emptied before each test.
 */
public final class H2TestDatabase {
  private static EntityManagerFactory emf;

  private H2TestDatabase() {}

  public static synchronized EntityManagerFactory emf() {
    if (emf == null) {
      emf =
          Persistence.createEntityManagerFactory(
              "kvorum",
              Map.of(
                  "jakarta.persistence.transactionType", "RESOURCE_LOCAL",
                  "jakarta.persistence.jtaDataSource", "",
                  "jakarta.persistence.jdbc.driver", "org.h2.Driver",
                  "jakarta.persistence.jdbc.url",
                      "jdbc:h2:mem:kvtest;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                          + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                  "eclipselink.logging.level", "WARNING"));
    }
    return emf;
  }

  public static JpaTransactions transactions() {
    return new ResourceLocalTransactions(emf());
  }

  /** A backend on an emptied database. */
  public static JpaKvBackend freshBackend() {
    JpaTransactions tx = transactions();
    JpaKvBackend b = new JpaKvBackend(tx);
    tx.inTransaction(
        em -> {
          em.createNativeQuery("DELETE FROM kv_revision").executeUpdate();
          em.createNativeQuery("DELETE FROM kv_lease").executeUpdate();
          em.createNativeQuery("DELETE FROM kv_meta").executeUpdate();
          return null;
        });
    return b;
  }
}
