package io.kvorum.raft.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Raft log entry. Immutable by convention: the core never writes into {@code data} and the
 * caller must not either once the entry has been handed over.
 *
 * @param index position in the log, starting at 1
 * @param term the leader term in which the entry was created
 * @param type {@link EntryType#NORMAL} or {@link EntryType#CONF_CHANGE}
 * @param data payload; never null (empty for the leader's no-op entry)
 */
public record Entry(long index, long term, EntryType type, byte[] data) {
  /** Fixed per-entry overhead used for byte accounting (index, term, type, length). */
  static final int OVERHEAD = 24;

  /** Validates and normalises a null payload to an empty array. */
  public Entry {
    Objects.requireNonNull(type, "type");
    data = data == null ? new byte[0] : data;
  }

  /** Creates a normal entry. */
  public static Entry normal(long index, long term, byte[] data) {
    return new Entry(index, term, EntryType.NORMAL, data);
  }

  /** Returns the size this entry counts for against byte limits (max bytes per append, ...). */
  public long sizeBytes() {
    return OVERHEAD + data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && e.index == index
        && e.term == term
        && e.type == type
        && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, term, type, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "Entry{" + index + "/" + term + " " + type + " " + data.length + "B}";
  }
}
