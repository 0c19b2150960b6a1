package io.kvorum.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-follower progress states, the inflight window, and majority arithmetic. */
class ProgressAndQuorumTest {
  @Test
  void probeSendsOneAppendAtATime() {
    Progress pr = new Progress(5, 4);
    assertFalse(pr.isPaused());
    pr.probeSent = true;
    assertTrue(pr.isPaused());
    assertTrue(pr.maybeUpdate(4), "an acknowledgement resumes probing");
    assertFalse(pr.isPaused());
  }

  @Test
  void replicatePipelinesUpToTheWindow() {
    Progress pr = new Progress(1, 2);
    pr.becomeReplicate();
    pr.inflights.add(3);
    assertFalse(pr.isPaused());
    pr.inflights.add(6);
    assertTrue(pr.isPaused());
    pr.inflights.freeLE(3);
    assertFalse(pr.isPaused());
    assertEquals(1, pr.inflights.count());
  }

  @Test
  void snapshotStatePausesAppendsUntilTheSnapshotIsAcknowledged() {
    Progress pr = new Progress(1, 2);
    pr.becomeSnapshot(10);
    assertTrue(pr.isPaused());
    pr.maybeUpdate(10);
    pr.becomeProbe();
    assertEquals(11, pr.next);
  }

  @Test
  void staleRejectionsAreIgnored() {
    Progress pr = new Progress(10, 4);
    pr.match = 5;
    pr.becomeReplicate();
    assertFalse(pr.maybeDecrTo(4, 3), "rejects an index at or below match: stale");
    assertTrue(pr.maybeDecrTo(8, 3));
    assertEquals(6, pr.next, "never below match + 1");
  }

  @Test
  void committedIndexIsTheMajoritysMatch() {
    Map<Long, Long> match = Map.of(1L, 9L, 2L, 7L, 3L, 3L, 4L, 5L);
    assertEquals(7, Quorum.committedIndex(Set.of(1L, 2L, 3L), match::get));
    assertEquals(5, Quorum.committedIndex(Set.of(1L, 2L, 3L, 4L), match::get), "3 of 4 needed");
    assertEquals(9, Quorum.committedIndex(Set.of(1L), match::get));
  }

  @Test
  void voteResults() {
    Set<Long> voters = Set.of(1L, 2L, 3L, 4L, 5L);
    assertEquals(Quorum.VoteResult.PENDING, Quorum.voteResult(voters, Map.of(1L, true, 2L, true)));
    assertEquals(
        Quorum.VoteResult.WON, Quorum.voteResult(voters, Map.of(1L, true, 2L, true, 3L, true)));
    assertEquals(
        Quorum.VoteResult.LOST,
        Quorum.voteResult(voters, Map.of(1L, true, 2L, false, 3L, false, 4L, false)));
    assertEquals(
        Quorum.VoteResult.PENDING,
        Quorum.voteResult(voters, Map.of(9L, true, 8L, true, 7L, true)),
        "votes of non-voters never count");
  }

  @Test
  void configurationIsValidatedWithTheKeyName() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> RaftConfig.of(1, new java.util.Random()).electionTick(1).validate());
    assertTrue(e.getMessage().contains("electionTick"), e.getMessage());
  }
}
