package io.kvorum.kv.core;

import io.kvorum.kv.jpa.H2TestDatabase;
import io.kvorum.kv.jpa.JpaKvBackend;

/** The two storage implementations every rule is run on. */
public enum StoreKind {
  MEMORY {
    @Override
    KvBackend fresh() {
      return new MemoryKvBackend();
    }

    @Override
    KvBackend reopen(KvBackend b) {
      return b;
    }
  },
  JPA {
    @Override
    KvBackend fresh() {
      return H2TestDatabase.freshBackend();
    }

    @Override
    KvBackend reopen(KvBackend b) {
      return new JpaKvBackend(H2TestDatabase.transactions());
    }
  };

  abstract KvBackend fresh();

  /** A backend over the same stored data, as after a restart. */
  abstract KvBackend reopen(KvBackend b);
}
