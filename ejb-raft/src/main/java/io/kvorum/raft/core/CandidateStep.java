package io.kvorum.raft.core;

/** How a candidate or pre-candidate handles messages of its term. */
final class CandidateStep {
  private CandidateStep() {}

  static void step(Raft r, Message m) {
    MessageType myVoteResp =
        r.role == Role.PRE_CANDIDATE ? MessageType.PRE_VOTE_RESP : MessageType.VOTE_RESP;
    switch (m.type()) {
      case APPEND, HEARTBEAT, SNAPSHOT -> {
        // Someone won this term (a pre-candidate's term is the leader's): follow it.
        r.becomeFollower(m.term(), m.from());
        FollowerStep.step(r, m);
      }
      default -> {
        if (m.type() != myVoteResp) {
          // Proposals, reads and transfers are dropped: there is no leader to take them.
          return;
        }
        switch (r.prs.recordVote(m.from(), !m.reject())) {
          case WON -> {
            if (r.role == Role.PRE_CANDIDATE) {
              r.campaign(false, false);
            } else {
              r.becomeLeader();
              Replication.bcastAppend(r);
            }
          }
          case LOST -> r.becomeFollower(r.term, RawNode.NONE);
          case PENDING -> {}
        }
      }
    }
  }
}
