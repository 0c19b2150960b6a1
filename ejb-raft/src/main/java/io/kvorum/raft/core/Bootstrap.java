package io.kvorum.raft.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The initial log of a new cluster. Every initial member persists the same entries: one ADD_VOTER
 * per voter at term 1, already committed. Keeping the initial membership in the log (rather than
 * only in local state) lets a node added later learn it by replication, like any other change.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** Returns the bootstrap entries for {@code voters} (sorted by id, indexes 1..n, term 1). */
  public static List<Entry> entries(Collection<Long> voters) {
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("initial-cluster: at least one voter is required");
    }
    List<Entry> out = new ArrayList<>();
    long index = 1;
    for (long id : new TreeSet<>(voters)) {
      byte[] data = new ConfChange(ConfChangeType.ADD_VOTER, id).encode();
      out.add(new Entry(index++, 1, EntryType.CONF_CHANGE, data));
    }
    return out;
  }

  /** Returns the hard state to persist with the bootstrap entries: term 1, all committed. */
  public static HardState hardState(List<Entry> bootstrapEntries) {
    return new HardState(1, RawNode.NONE, bootstrapEntries.size());
  }
}
