package io.kvorum.server;

import io.kvorum.raft.core.ConfState;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a member keeps of the cluster's membership, durably and as of one applied log index: the
 * cluster and member ids this member runs under, every member's attributes, and the ids removed
 * (etcd refuses them forever). Immutable.
 *
 * @param clusterId the cluster this member belongs to
 * @param memberId this member's id
 * @param appliedIndex the last log index whose membership change is reflected here (0: seeded)
 * @param members the members by id
 * @param removed ids of members removed from the cluster
 */
public record MembershipState(
    long clusterId,
    long memberId,
    long appliedIndex,
    Map<Long, MemberRecord> members,
    Set<Long> removed) {
  public MembershipState {
    members = Collections.unmodifiableMap(new TreeMap<>(members));
    removed = Collections.unmodifiableSet(new TreeSet<>(removed));
  }

  MembershipState with(long index, Map<Long, MemberRecord> newMembers, Set<Long> newRemoved) {
    return new MembershipState(clusterId, memberId, index, newMembers, newRemoved);
  }

  /**
   * The state once a snapshot at {@code index} with membership {@code cs} was installed (this
   * member never applied the membership entries it covers): members as {@code cs} says, keeping
   * what is known of each; members it adds are known by id only until they publish again. This
   * member stays listed if it is not in {@code cs} yet (it is joining: its addition follows in the
   * log). The removed ids stay those seen removed.
   */
  MembershipState afterSnapshot(long index, ConfState cs) {
    Map<Long, MemberRecord> next = new TreeMap<>();
    for (long id : cs.voters()) {
      MemberRecord m = members.get(id);
      next.put(
          id, m == null ? new MemberRecord(id, "", List.of(), List.of(), false) : m.promoted());
    }
    for (long id : cs.learners()) {
      MemberRecord m =
          members.getOrDefault(id, new MemberRecord(id, "", List.of(), List.of(), true));
      next.put(id, new MemberRecord(id, m.name(), m.peerUrls(), m.clientUrls(), true));
    }
    MemberRecord self = members.get(memberId);
    if (self != null && !cs.isMember(memberId)) {
      next.put(memberId, self);
    }
    return with(index, next, removed);
  }

  /**
   * As {@link #afterSnapshot}, knowing also the membership the snapshot's sender recorded with it
   * (names and URLs of members added in the range the snapshot covers); its records win.
   */
  MembershipState afterSnapshot(long index, ConfState cs, MembershipState senders) {
    Map<Long, MemberRecord> known = new TreeMap<>(members);
    known.putAll(senders.members());
    Set<Long> gone = new java.util.TreeSet<>(removed);
    gone.addAll(senders.removed());
    return new MembershipState(clusterId, memberId, appliedIndex, known, gone)
        .afterSnapshot(index, cs);
  }

  /** Encodes the state for a {@link MemberStore}. */
  public byte[] encode() {
    return MemberRecord.Codec.write(this::writeTo);
  }

  private void writeTo(DataOutputStream out) throws IOException {
    out.writeByte(1);
    out.writeLong(clusterId);
    out.writeLong(memberId);
    out.writeLong(appliedIndex);
    out.writeInt(members.size());
    for (MemberRecord m : members.values()) {
      m.writeTo(out);
    }
    out.writeInt(removed.size());
    for (long id : removed) {
      out.writeLong(id);
    }
  }

  /** Decodes {@link #encode()}'s bytes. */
  public static MembershipState decode(byte[] data) {
    return MemberRecord.Codec.read(data, MembershipState::readFrom);
  }

  private static MembershipState readFrom(DataInputStream in) throws IOException {
    if (in.readByte() != 1) {
      throw new IOException("unknown membership format");
    }
    long cluster = in.readLong();
    long self = in.readLong();
    long index = in.readLong();
    Map<Long, MemberRecord> members = new TreeMap<>();
    for (int n = in.readInt(); n > 0; n--) {
      MemberRecord m = MemberRecord.readFrom(in);
      members.put(m.id(), m);
    }
    Set<Long> removed = new TreeSet<>();
    for (int n = in.readInt(); n > 0; n--) {
      removed.add(in.readLong());
    }
    return new MembershipState(cluster, self, index, members, removed);
  }
}
