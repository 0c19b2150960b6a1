package io.kvorum.raft.core;

/** The leader's view of one follower's (or learner's) log. */
final class Progress {
  /** Highest index known replicated on the follower. Invariant: match < next. */
  long match;

  /** Next index to send. */
  long next;

  ProgressState state = ProgressState.PROBE;

  /** In PROBE: an append was sent and the leader waits before sending another. */
  boolean probeSent;

  /** In SNAPSHOT: the index of the snapshot being sent; 0 otherwise. */
  long pendingSnapshot;

  /** In SNAPSHOT: bytes of the snapshot the follower has acknowledged. */
  long snapshotOffset;

  /** Whether the follower answered since the last check-quorum round. */
  boolean recentActive;

  final Inflights inflights;

  Progress(long next, int maxInflight) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  private void resetState(ProgressState s) {
    state = s;
    probeSent = false;
    pendingSnapshot = 0;
    snapshotOffset = 0;
    inflights.reset();
  }

  void becomeProbe() {
    // A completed snapshot has already raised match (the follower acknowledges it like an append).
    resetState(ProgressState.PROBE);
    next = match + 1;
  }

  void becomeReplicate() {
    resetState(ProgressState.REPLICATE);
    next = match + 1;
  }

  void becomeSnapshot(long snapshotIndex) {
    resetState(ProgressState.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /** The follower acknowledged up to {@code n}; returns whether match advanced. */
  boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, n + 1);
    return updated;
  }

  /** An append ending at {@code n} was sent optimistically. */
  void optimisticUpdate(long n) {
    next = n + 1;
  }

  /**
   * The follower rejected an append at {@code rejected}; moves next back using its hint.
   *
   * @return false if the rejection is stale (answers an older append)
   */
  boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == ProgressState.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    probeSent = false;
    return true;
  }

  /** Whether the leader must hold off sending appends to this follower. */
  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.full();
      case SNAPSHOT -> true;
    };
  }

  @Override
  public String toString() {
    return state + " match=" + match + " next=" + next;
  }
}
