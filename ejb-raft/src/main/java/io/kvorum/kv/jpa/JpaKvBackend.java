package io.kvorum.kv.jpa;

import io.kvorum.kv.core.AlarmRequest;
import io.kvorum.kv.core.AlarmResponse;
import io.kvorum.kv.core.IndexEntry;
import io.kvorum.kv.core.KeyValue;
import io.kvorum.kv.core.KvBackend;
import io.kvorum.kv.core.LeaseRecord;
import io.kvorum.kv.core.Revision;
import io.kvorum.kv.core.RevisionRange;
import io.kvorum.kv.core.RevisionRow;
import io.kvorum.kv.core.StoreMeta;
import io.kvorum.kv.core.WriteBatch;
import io.kvorum.persistence.kv.KvLeaseEntity;
import io.kvorum.persistence.kv.KvMetaEntity;
import io.kvorum.persistence.kv.KvRevisionEntity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@link KvBackend} on JPA (EclipseLink; H2 in PostgreSQL mode or PostgreSQL). Each {@link
 * #commit} is one transaction holding the batch's rows, deletes, leases and the metadata with the
 * applied index. Reads use native SQL over the primary key (main_rev, sub_rev); no entity is kept
 * in a persistence context between calls.
 *
 * <p>Threading: not thread-safe; the store serialises calls. Transactions come from {@link
 * JpaTransactions}, so the adapter never demarcates them itself.
 */
public final class JpaKvBackend implements KvBackend {
  private static final int PAGE = 10_000;
  private static final int IN_CHUNK = 500;
  private static final String COLUMNS =
      "main_rev, sub_rev, kv_key, kv_value, create_revision, version, lease_id, tombstone";

  private final JpaTransactions tx;

  /** Creates the KV tables if they do not exist. */
  public JpaKvBackend(JpaTransactions tx) {
    this.tx = tx;
    tx.inTransaction(
        em -> {
          KvSchema.create(em);
          return null;
        });
  }

  @Override
  public StoreMeta load(Consumer<IndexEntry> sink) {
    long main = -1;
    int sub = -1;
    while (true) {
      long m = main;
      int s = sub;
      List<Object[]> page =
          tx.inTransaction(
              em ->
                  rows(
                      em.createNativeQuery(
                              "SELECT main_rev, sub_rev, kv_key, tombstone, create_revision,"
                                  + " version, lease_id, octet_length(kv_value) FROM kv_revision"
                                  + " WHERE main_rev >= ?1 AND (main_rev > ?1 OR sub_rev > ?2)"
                                  + " ORDER BY main_rev, sub_rev LIMIT "
                                  + PAGE)
                          .setParameter(1, m)
                          .setParameter(2, s)));
      for (Object[] r : page) {
        main = num(r[0]);
        sub = (int) num(r[1]);
        sink.accept(
            new IndexEntry(
                (byte[]) r[2],
                new Revision(main, sub),
                bool(r[3]),
                num(r[4]),
                num(r[5]),
                num(r[6]),
                (int) num(r[7])));
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    return tx.inTransaction(
        em -> {
          KvMetaEntity e = em.find(KvMetaEntity.class, KvMetaEntity.ID);
          return e == null
              ? StoreMeta.EMPTY
              : new StoreMeta(
                  e.getAppliedIndex(),
                  e.getCurrentRevision(),
                  e.getCompactRevision(),
                  parseAlarms(e.getAlarms()));
        });
  }

  @Override
  public List<LeaseRecord> loadLeases() {
    return tx.inTransaction(
        em -> {
          List<LeaseRecord> out = new ArrayList<>();
          for (Object[] r :
              rows(em.createNativeQuery("SELECT id, ttl, remaining_ttl FROM kv_lease"))) {
            out.add(new LeaseRecord(num(r[0]), num(r[1]), num(r[2])));
          }
          return out;
        });
  }

  @Override
  public List<KeyValue> fetch(List<Revision> revisions) {
    Map<Revision, KeyValue> found = new HashMap<>();
    tx.inTransaction(
        em -> {
          for (int from = 0; from < revisions.size(); from += IN_CHUNK) {
            List<Revision> chunk =
                revisions.subList(from, Math.min(revisions.size(), from + IN_CHUNK));
            List<Long> mains = chunk.stream().map(Revision::main).distinct().toList();
            StringBuilder sql =
                new StringBuilder("SELECT " + COLUMNS + " FROM kv_revision WHERE main_rev IN (");
            for (int i = 0; i < mains.size(); i++) {
              sql.append(i == 0 ? "?" : ",?").append(i + 1);
            }
            Query q = em.createNativeQuery(sql.append(')').toString());
            for (int i = 0; i < mains.size(); i++) {
              q.setParameter(i + 1, mains.get(i));
            }
            for (Object[] r : rows(q)) {
              RevisionRow row = row(r);
              found.put(row.revision(), row.kv());
            }
          }
          return null;
        });
    List<KeyValue> out = new ArrayList<>(revisions.size());
    for (Revision r : revisions) {
      out.add(found.get(r));
    }
    return out;
  }

  @Override
  public List<RevisionRow> history(long fromMain, int fromSub, long toMain, int maxRows) {
    return tx.inTransaction(
        em -> {
          List<RevisionRow> out = new ArrayList<>();
          for (Object[] r :
              rows(
                  em.createNativeQuery(
                          "SELECT "
                              + COLUMNS
                              + " FROM kv_revision WHERE main_rev >= ?1"
                              + " AND (main_rev > ?1 OR sub_rev >= ?2) AND main_rev <= ?3"
                              + " ORDER BY main_rev, sub_rev LIMIT "
                              + Math.max(0, maxRows))
                      .setParameter(1, fromMain)
                      .setParameter(2, fromSub)
                      .setParameter(3, toMain))) {
            out.add(row(r));
          }
          return out;
        });
  }

  @Override
  public void commit(WriteBatch batch) {
    tx.inTransaction(
        em -> {
          write(em, batch);
          return null;
        });
  }

  private static void write(EntityManager em, WriteBatch batch) {
    for (RevisionRow r : batch.inserts()) {
      KeyValue kv = r.kv();
      em.persist(
          new KvRevisionEntity(
              r.revision().main(),
              r.revision().sub(),
              kv.key(),
              kv.value(),
              kv.createRevision(),
              kv.version(),
              kv.lease(),
              r.tombstone()));
    }
    if (!batch.deletes().isEmpty()) {
      Query del =
          em.createNativeQuery(
              "DELETE FROM kv_revision WHERE main_rev >= ?1 AND main_rev <= ?3"
                  + " AND (main_rev > ?1 OR sub_rev >= ?2) AND (main_rev < ?3 OR sub_rev <= ?4)");
      for (RevisionRange r : batch.deletes()) {
        del.setParameter(1, r.first().main())
            .setParameter(2, r.first().sub())
            .setParameter(3, r.last().main())
            .setParameter(4, r.last().sub())
            .executeUpdate();
      }
    }
    for (LeaseRecord l : batch.leaseUpserts()) {
      KvLeaseEntity e = em.find(KvLeaseEntity.class, l.id());
      if (e == null) {
        em.persist(new KvLeaseEntity(l.id(), l.ttl(), l.remainingTtl()));
      } else {
        e.setRemainingTtl(l.remainingTtl());
      }
    }
    for (Long id : batch.leaseDeletes()) {
      em.createNativeQuery("DELETE FROM kv_lease WHERE id = ?1")
          .setParameter(1, id)
          .executeUpdate();
    }
    StoreMeta s = batch.meta();
    if (s == null) {
      return;
    }
    KvMetaEntity m = em.find(KvMetaEntity.class, KvMetaEntity.ID);
    if (m == null) {
      m = new KvMetaEntity();
      em.persist(m);
    }
    m.setAppliedIndex(s.appliedIndex());
    m.setCurrentRevision(s.currentRevision());
    m.setCompactRevision(s.compactRevision());
    m.setAlarms(formatAlarms(s.alarms()));
  }

  @Override
  public void clear() {
    tx.inTransaction(
        em -> {
          em.createNativeQuery("DELETE FROM kv_revision").executeUpdate();
          em.createNativeQuery("DELETE FROM kv_lease").executeUpdate();
          em.createNativeQuery("DELETE FROM kv_meta").executeUpdate();
          return null;
        });
  }

  @Override
  public boolean isEmpty() {
    return tx.inTransaction(
        em ->
            em.find(KvMetaEntity.class, KvMetaEntity.ID) == null
                && em.createNativeQuery("SELECT main_rev FROM kv_revision LIMIT 1")
                    .getResultList()
                    .isEmpty());
  }

  @SuppressWarnings("unchecked")
  private static List<Object[]> rows(Query q) {
    return q.getResultList();
  }

  private static RevisionRow row(Object[] r) {
    long main = num(r[0]);
    boolean tombstone = bool(r[7]);
    KeyValue kv = new KeyValue((byte[]) r[2], num(r[4]), main, num(r[5]), (byte[]) r[3], num(r[6]));
    return new RevisionRow(new Revision(main, (int) num(r[1])), tombstone, kv);
  }

  private static long num(Object o) {
    return ((Number) o).longValue();
  }

  private static boolean bool(Object o) {
    return o instanceof Boolean b ? b : ((Number) o).intValue() != 0;
  }

  static String formatAlarms(List<AlarmResponse.AlarmMember> alarms) {
    StringBuilder s = new StringBuilder();
    for (AlarmResponse.AlarmMember a : alarms) {
      s.append(s.length() == 0 ? "" : ",").append(a.memberId()).append(':').append(a.alarm());
    }
    return s.toString();
  }

  static List<AlarmResponse.AlarmMember> parseAlarms(String s) {
    List<AlarmResponse.AlarmMember> out = new ArrayList<>();
    if (s == null || s.isEmpty()) {
      return out;
    }
    for (String part : s.split(",")) {
      int colon = part.indexOf(':');
      out.add(
          new AlarmResponse.AlarmMember(
              Long.parseLong(part.substring(0, colon)),
              AlarmRequest.AlarmType.valueOf(part.substring(colon + 1))));
    }
    return out;
  }
}
