package io.kvorum.raft.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-memory {@link LogStorage} for tests and the simulator; it plays the part of "the disk", so
 * a simulated crash keeps it and loses everything else. Not thread-safe.
 */
public final class MemoryLogStorage implements LogStorage {
  private HardState hardState = HardState.EMPTY;
  private SnapshotMetadata snapshot;
  private byte[] snapshotData = new byte[0];
  // entries.get(0) is a dummy standing for the snapshot (index, term); real entries follow, so
  // entries.get(i).index() == snapshot.index() + i.
  private final ArrayList<Entry> entries = new ArrayList<>();

  /** Creates empty storage: a node that will be added to an existing cluster. */
  public MemoryLogStorage() {
    snapshot = SnapshotMetadata.EMPTY;
    entries.add(Entry.normal(0, 0, null));
  }

  /**
   * Creates storage for a member of a new cluster of the given voters: their additions are the
   * first committed entries ({@link Bootstrap}), so nodes that join later learn them from the log.
   */
  public static MemoryLogStorage bootstrap(Long... voters) {
    MemoryLogStorage s = new MemoryLogStorage();
    List<Entry> ents = Bootstrap.entries(List.of(voters));
    s.append(ents);
    s.setHardState(Bootstrap.hardState(ents));
    return s;
  }

  @Override
  public HardState hardState() {
    return hardState;
  }

  @Override
  public SnapshotMetadata snapshot() {
    return snapshot;
  }

  @Override
  public byte[] snapshotChunk(long offset, int maxBytes) {
    int from = (int) offset;
    int to = (int) Math.min(snapshotData.length, offset + maxBytes);
    return Arrays.copyOfRange(snapshotData, from, to);
  }

  /** Returns the whole snapshot data (tests and the simulator restore from it). */
  public byte[] snapshotData() {
    return snapshotData;
  }

  @Override
  public long firstIndex() {
    return entries.get(0).index() + 1;
  }

  @Override
  public long lastIndex() {
    return entries.get(0).index() + entries.size() - 1;
  }

  @Override
  public long term(long index) {
    long offset = entries.get(0).index();
    if (index < offset || index - offset >= entries.size()) {
      return UNAVAILABLE;
    }
    return entries.get((int) (index - offset)).term();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    long offset = entries.get(0).index();
    if (lo <= offset || hi > lastIndex() + 1 || lo >= hi) {
      throw new IllegalArgumentException("entries [" + lo + "," + hi + ") out of range");
    }
    List<Entry> out = new ArrayList<>();
    long size = 0;
    for (long i = lo; i < hi; i++) {
      Entry e = entries.get((int) (i - offset));
      size += e.sizeBytes();
      if (!out.isEmpty() && size > maxBytes) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  /** Persists the hard state. */
  public void setHardState(HardState hs) {
    hardState = hs;
  }

  /**
   * Appends entries, replacing any existing suffix from the first entry's index on. Entries at or
   * below the snapshot index are ignored.
   */
  public void append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return;
    }
    long offset = entries.get(0).index();
    long first = ents.get(0).index();
    if (first > lastIndex() + 1) {
      throw new IllegalArgumentException("gap: appending " + first + " after " + lastIndex());
    }
    for (Entry e : ents) {
      if (e.index() <= offset) {
        continue;
      }
      int pos = (int) (e.index() - offset);
      if (pos < entries.size()) {
        entries.subList(pos, entries.size()).clear();
      }
      entries.add(e);
    }
  }

  /** Replaces the whole log by a snapshot received from the leader. */
  public void applySnapshot(SnapshotMetadata meta, byte[] data) {
    snapshot = meta;
    snapshotData = data;
    entries.clear();
    entries.add(Entry.normal(meta.index(), meta.term(), null));
  }

  /**
   * Records a snapshot of the application's state at {@code index} (at most the applied index) and
   * drops the log up to it. Applications that want to keep a tail of entries for slightly lagging
   * followers snapshot at an index below their applied index.
   */
  public void createSnapshot(long index, ConfState confState, byte[] data) {
    if (index <= snapshot.index() || index > lastIndex()) {
      throw new IllegalArgumentException("bad snapshot index " + index);
    }
    snapshot = new SnapshotMetadata(index, term(index), confState, data.length);
    snapshotData = data;
    int pos = (int) (index - entries.get(0).index());
    List<Entry> rest = new ArrayList<>(entries.subList(pos + 1, entries.size()));
    entries.clear();
    entries.add(Entry.normal(index, snapshot.term(), null));
    entries.addAll(rest);
  }
}
