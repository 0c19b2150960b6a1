package io.kvorum.server;

import io.kvorum.kv.core.KvException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * etcd 3.4's membership rules and their exact errors: what a MemberAdd, MemberRemove, MemberUpdate
 * or MemberPromote must satisfy before it is proposed (etcd's mayAddMember / mayRemoveMember /
 * mayPromoteMember and ValidateConfigurationChange).
 */
final class MembershipRules {
  /** etcd allows one learner at a time. */
  static final int MAX_LEARNERS = 1;

  /** A learner is "in sync" when it has at least this share of the leader's log (etcd). */
  static final double LEARNER_READY_PERCENT = 0.9;

  private MembershipRules() {}

  static KvException memberExists() {
    return failed("etcdserver: member ID already exist");
  }

  static KvException peerUrlsExist() {
    return failed("etcdserver: Peer URLs already exists");
  }

  static KvException notFound() {
    return new KvException(KvException.Code.NOT_FOUND, "etcdserver: member not found");
  }

  static KvException notLearner() {
    return failed("etcdserver: can only promote a learner member");
  }

  static KvException learnerNotReady() {
    return failed("etcdserver: can only promote a learner member which is in sync with leader");
  }

  static KvException tooManyLearners() {
    return failed("etcdserver: too many learner members in cluster");
  }

  static KvException notEnoughStarted() {
    return failed("etcdserver: re-configuration failed due to not enough started members");
  }

  static KvException unhealthy() {
    return new KvException(KvException.Code.UNAVAILABLE, "etcdserver: unhealthy cluster");
  }

  static KvException notLeader() {
    return failed("etcdserver: not leader");
  }

  static KvException badTransferee() {
    return failed("etcdserver: bad leader transferee");
  }

  static KvException transferTimedOut() {
    return new KvException(
        KvException.Code.UNAVAILABLE,
        "etcdserver: request timed out, leader transfer took too long");
  }

  static KvException badUrls() {
    return new KvException(
        KvException.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid");
  }

  private static KvException failed(String message) {
    return new KvException(KvException.Code.FAILED_PRECONDITION, message);
  }

  /** Whether a URL another member already uses is among {@code urls} (ignoring {@code except}). */
  static boolean peerUrlsTaken(MembershipState s, Collection<String> urls, long except) {
    for (MemberRecord m : s.members().values()) {
      if (m.id() != except && m.peerUrls().stream().anyMatch(urls::contains)) {
        return true;
      }
    }
    return false;
  }

  static long learners(MembershipState s) {
    return s.members().values().stream().filter(MemberRecord::learner).count();
  }

  static List<MemberRecord> voters(MembershipState s) {
    return s.members().values().stream().filter(m -> !m.learner()).toList();
  }

  /** etcd's IsReadyToAddVotingMember: a started quorum remains once one more voter counts. */
  static boolean readyToAddVoter(MembershipState s) {
    int members = 1;
    int started = 0;
    for (MemberRecord m : voters(s)) {
      members++;
      started += m.started() ? 1 : 0;
    }
    return (started == 1 && members == 2) || started >= members / 2 + 1;
  }

  /** etcd's IsReadyToRemoveVotingMember: the remaining voters keep a started quorum. */
  static boolean readyToRemoveVoter(MembershipState s, long id) {
    int members = 0;
    int started = 0;
    for (MemberRecord m : voters(s)) {
      if (m.id() != id) {
        members++;
        started += m.started() ? 1 : 0;
      }
    }
    return started >= members / 2 + 1;
  }

  /** etcd's IsReadyToPromoteMember: a started quorum once the learner votes too. */
  static boolean readyToPromote(MembershipState s) {
    return readyToAddVoter(s);
  }

  /** Whether {@code active} voters (this member included) still make a quorum without one. */
  static boolean quorumSurvivesRemoval(Set<Long> activeVoters, int voters, boolean removedActive) {
    int remaining = activeVoters.size() - (removedActive ? 1 : 0);
    return remaining >= 1 + (voters - 1) / 2;
  }
}
