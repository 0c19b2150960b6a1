package io.kvorum.raft.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeds that once exposed a core bug, replayed on every build whatever -Dsim.seeds says. Each is
 * named in the commit (and a unit test) that fixed it.
 */
class SimulationRegressionTest {
  @ParameterizedTest
  @ValueSource(
      longs = {
        0, // replicate window stayed full after lost acks: follower never caught up
        102, // a promoted learner that had not applied its promotion refused to vote: no leader
        3901, // no flow control: a leader's backlog outgrew the liveness bound after healing
        10387, // a non-voter's election clock wrapped inside the lease: it never voted again
      })
  void seedStaysSafeAndLive(long seed) {
    new Simulation(seed, false).run(RaftSimulationTest.FAULT_UNITS, RaftSimulationTest.HEAL_BOUND);
  }
}
