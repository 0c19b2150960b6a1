package io.kvorum.raft.core;

/** What a log entry carries. */
public enum EntryType {
  /** Application data (or the empty entry a new leader appends to commit its term). */
  NORMAL,
  /** An encoded {@link ConfChange}; it takes effect when applied (see {@link RawNode#advance}). */
  CONF_CHANGE
}
