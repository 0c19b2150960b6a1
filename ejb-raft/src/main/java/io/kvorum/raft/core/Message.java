package io.kvorum.raft.core;

import java.util.List;
import java.util.Objects;

/**
 * A message between two nodes. Which fields matter depends on {@link #type()}; unused fields are
 * zero, false, empty or null. Immutable; encoded for the wire by {@link MessageCodec}.
 *
 * @param type what kind of message this is
 * @param from sender id (for a forwarded {@link MessageType#TRANSFER_LEADER}: the transferee)
 * @param to recipient id
 * @param term the sender's term; 0 for the local-origin kinds PROPOSE, READ_INDEX, TRANSFER_LEADER
 * @param logTerm APPEND: term at {@code index}; votes: candidate's last term; APPEND_RESP reject:
 *     term of the follower's entry at {@code rejectHint}
 * @param index APPEND: index preceding the entries; APPEND_RESP: last index accepted (or the
 *     rejected index); votes: candidate's last index; SNAPSHOT/_RESP: snapshot index;
 *     READ_INDEX_RESP: the read index
 * @param commit the leader's commit index (APPEND, HEARTBEAT)
 * @param entries APPEND and PROPOSE entries; never null
 * @param reject whether a response refuses
 * @param rejectHint APPEND_RESP reject: the follower's guess of the last matching index
 * @param context READ_INDEX* and HEARTBEAT*: request context; VOTE: {@link #CAMPAIGN_TRANSFER}
 * @param snapshot SNAPSHOT: the snapshot being sent
 * @param snapshotOffset SNAPSHOT: offset of {@code snapshotData}; SNAPSHOT_RESP: bytes received
 * @param snapshotData SNAPSHOT: the chunk
 */
public record Message(
    MessageType type,
    long from,
    long to,
    long term,
    long logTerm,
    long index,
    long commit,
    List<Entry> entries,
    boolean reject,
    long rejectHint,
    byte[] context,
    SnapshotMetadata snapshot,
    long snapshotOffset,
    byte[] snapshotData) {

  /** Vote context marking a campaign started by leadership transfer: it overrides leases. */
  public static final byte[] CAMPAIGN_TRANSFER = {'T'};

  /** Checks the type and replaces a null entry list by an empty one. */
  public Message {
    Objects.requireNonNull(type, "type");
    entries = entries == null ? List.of() : entries;
  }

  /** Starts building a message of the given type. */
  public static Builder builder(MessageType type) {
    return new Builder(type);
  }

  /** Returns a builder initialised with this message's fields. */
  public Builder toBuilder() {
    Builder b = new Builder(type);
    b.from = from;
    b.to = to;
    b.term = term;
    b.logTerm = logTerm;
    b.index = index;
    b.commit = commit;
    b.entries = entries;
    b.reject = reject;
    b.rejectHint = rejectHint;
    b.context = context;
    b.snapshot = snapshot;
    b.snapshotOffset = snapshotOffset;
    b.snapshotData = snapshotData;
    return b;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(from).append("->").append(to).append(' ').append(type).append(" term=").append(term);
    if (logTerm != 0 || index != 0) {
      s.append(" log=").append(logTerm).append('/').append(index);
    }
    if (commit != 0) {
      s.append(" commit=").append(commit);
    }
    if (!entries.isEmpty()) {
      s.append(" entries=").append(entries);
    }
    if (reject) {
      s.append(" rejected (hint ").append(rejectHint).append(')');
    }
    if (snapshot != null) {
      s.append(" snap=").append(snapshot.index()).append('@').append(snapshotOffset);
    } else if (type == MessageType.SNAPSHOT_RESP) {
      s.append(" received=").append(snapshotOffset);
    }
    return s.toString();
  }

  /** Mutable builder; only the fields a message kind uses need to be set. */
  public static final class Builder {
    private final MessageType type;
    private long from;
    private long to;
    private long term;
    private long logTerm;
    private long index;
    private long commit;
    private List<Entry> entries = List.of();
    private boolean reject;
    private long rejectHint;
    private byte[] context;
    private SnapshotMetadata snapshot;
    private long snapshotOffset;
    private byte[] snapshotData;

    private Builder(MessageType type) {
      this.type = type;
    }

    /** Sets the sender. */
    public Builder from(long v) {
      from = v;
      return this;
    }

    /** Sets the recipient. */
    public Builder to(long v) {
      to = v;
      return this;
    }

    /** Sets the term. */
    public Builder term(long v) {
      term = v;
      return this;
    }

    /** Sets the log term. */
    public Builder logTerm(long v) {
      logTerm = v;
      return this;
    }

    /** Sets the index. */
    public Builder index(long v) {
      index = v;
      return this;
    }

    /** Sets the commit index. */
    public Builder commit(long v) {
      commit = v;
      return this;
    }

    /** Sets the entries. */
    public Builder entries(List<Entry> v) {
      entries = v;
      return this;
    }

    /** Sets the reject flag. */
    public Builder reject(boolean v) {
      reject = v;
      return this;
    }

    /** Sets the reject hint. */
    public Builder rejectHint(long v) {
      rejectHint = v;
      return this;
    }

    /** Sets the context. */
    public Builder context(byte[] v) {
      context = v;
      return this;
    }

    /** Sets the snapshot metadata. */
    public Builder snapshot(SnapshotMetadata v) {
      snapshot = v;
      return this;
    }

    /** Sets the snapshot offset. */
    public Builder snapshotOffset(long v) {
      snapshotOffset = v;
      return this;
    }

    /** Sets the snapshot chunk. */
    public Builder snapshotData(byte[] v) {
      snapshotData = v;
      return this;
    }

    /** Builds the message. */
    public Message build() {
      return new Message(
          type,
          from,
          to,
          term,
          logTerm,
          index,
          commit,
          entries,
          reject,
          rejectHint,
          context,
          snapshot,
          snapshotOffset,
          snapshotData);
    }
  }
}
