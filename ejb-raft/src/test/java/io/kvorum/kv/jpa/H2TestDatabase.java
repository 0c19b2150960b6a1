package io.kvorum.kv.jpa;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.HashMap;
import java.util.Map;

/**
 * The product's persistence unit "kvorum" opened RESOURCE_LOCAL on an in-memory H2 with the
 * product's URL flags (or the database given by system properties); one per test JVM, emptied
 * before each test.
 */
public final class H2TestDatabase {
  private static EntityManagerFactory emf;

  private H2TestDatabase() {}

  /**
   * The factory, on in-memory H2 unless {@code -Dkv.test.jdbc.url=...} (with {@code
   * kv.test.jdbc.driver}, {@code .user}, {@code .password}) points the suite at another database,
   * e.g. PostgreSQL with its driver on the test class path.
   */
  public static synchronized EntityManagerFactory emf() {
    if (emf == null) {
      Map<String, Object> p = new HashMap<>();
      p.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
      p.put("jakarta.persistence.jtaDataSource", "");
      p.put("eclipselink.logging.level", "WARNING");
      p.put(
          "jakarta.persistence.jdbc.driver",
          System.getProperty("kv.test.jdbc.driver", "org.h2.Driver"));
      p.put(
          "jakarta.persistence.jdbc.url",
          System.getProperty(
              "kv.test.jdbc.url",
              "jdbc:h2:mem:kvtest;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                  + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"));
      p.put("jakarta.persistence.jdbc.user", System.getProperty("kv.test.jdbc.user", ""));
      p.put("jakarta.persistence.jdbc.password", System.getProperty("kv.test.jdbc.password", ""));
      emf = Persistence.createEntityManagerFactory("kvorum", p);
    }
    return emf;
  }

  public static JpaTransactions transactions() {
    return new ResourceLocalTransactions(emf());
  }

  /** A backend on an emptied database. */
  public static JpaKvBackend freshBackend() {
    JpaKvBackend b = new JpaKvBackend(transactions());
    b.clear();
    return b;
  }
}
