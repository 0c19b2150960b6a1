package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compaction in two steps, like etcd's scheduled compaction. The logical step runs when the
 * compaction entry is applied: the key index drops the revisions, so no read, compare or watch can
 * see them, and they are scheduled as "dead" ranges. The physical step deletes them in chunks of at
 * most {@link #DELETE_BATCH_ROWS} rows, one chunk per applied batch or per {@link
 * MvccStore#compactStep()}, so a huge compaction never stalls the apply path. Rows of a dead range
 * are hidden from history reads until deleted, so hashes, snapshots and watches are identical on
 * every member whatever its deletion progress. After a restart the logical step is redone at the
 * stored compact revision, rescheduling whatever was not yet deleted.
 */
final class Compactor {
  static final int DELETE_BATCH_ROWS = 1000;

  private final KeyIndex index;
  private final TreeMap<Revision, RevisionRange> dead = new TreeMap<>();

  Compactor(KeyIndex index) {
    this.index = index;
  }

  /**
   * Drops revisions &lt;= rev except each key's newest (that too if a tombstone) from the index and
   * schedules their deletion. Revisions still pending in {@code batch} are dropped from it.
   *
   * @return the bytes freed for quota accounting
   */
  long compact(long rev, Map<Revision, KeyValue> pending, WriteBatch batch) {
    long freed = 0;
    List<Revision> removed = new ArrayList<>();
    List<Revision> kept = new ArrayList<>();
    for (Iterator<KeyHistory> it = index.all().iterator(); it.hasNext(); ) {
      KeyHistory h = it.next();
      freed += h.compact(rev, removed);
      if (h.isEmpty()) {
        it.remove();
      } else if (h.revisionAt(0).main() <= rev) {
        kept.add(h.revisionAt(0));
      }
    }
    Set<Revision> neverStored = new HashSet<>();
    List<Revision> stored = new ArrayList<>();
    for (Revision r : removed) {
      if (pending.remove(r) != null) {
        neverStored.add(r);
      } else {
        stored.add(r);
      }
    }
    if (batch != null && !neverStored.isEmpty()) {
      batch.dropInserts(neverStored);
    }
    Collections.sort(stored);
    Collections.sort(kept);
    // Runs of removed revisions with no surviving row between them, cut into delete chunks.
    int k = 0;
    for (int i = 0; i < stored.size(); ) {
      Revision first = stored.get(i);
      while (k < kept.size() && kept.get(k).compareTo(first) < 0) {
        k++;
      }
      // a run stops before the next surviving row and before an older dead range (ranges never
      // overlap, so containment checks stay exact)
      Revision limit = k < kept.size() ? kept.get(k) : null;
      Revision olderDead = dead.ceilingKey(first);
      if (olderDead != null && (limit == null || olderDead.compareTo(limit) < 0)) {
        limit = olderDead;
      }
      int j = i;
      while (j + 1 < stored.size()
          && j + 1 - i < DELETE_BATCH_ROWS
          && (limit == null || stored.get(j + 1).compareTo(limit) < 0)) {
        j++;
      }
      dead.put(first, new RevisionRange(first, stored.get(j)));
      i = j + 1;
    }
    return freed;
  }

  /** The first position at or after {@code from} that is not inside a dead range. */
  Revision skipDead(Revision from) {
    Revision at = from;
    while (true) {
      Map.Entry<Revision, RevisionRange> e = dead.floorEntry(at);
      if (e == null || e.getValue().last().compareTo(at) < 0) {
        return at;
      }
      at = after(e.getValue().last());
    }
  }

  boolean isDead(Revision r) {
    Map.Entry<Revision, RevisionRange> e = dead.floorEntry(r);
    return e != null && e.getValue().last().compareTo(r) >= 0;
  }

  /** Takes the next chunk to delete physically, or null. */
  RevisionRange nextChunk() {
    Map.Entry<Revision, RevisionRange> e = dead.pollFirstEntry();
    return e == null ? null : e.getValue();
  }

  int pendingChunks() {
    return dead.size();
  }

  static Revision after(Revision r) {
    return r.sub() == Integer.MAX_VALUE
        ? new Revision(r.main() + 1, 0)
        : new Revision(r.main(), r.sub() + 1);
  }
}
