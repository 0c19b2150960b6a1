package io.kvorum.raft.sim;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic simulation for many seeds. {@code -Dsim.seeds=N} (default 500) sets how
 * many, {@code -Dsim.start=S} the first; {@code -Dsim.seed=S} replays exactly one. A failure prints
 * the seed, the command that replays it, and the end of the run's trace.
 */
class RaftSimulationTest {
  static final int FAULT_UNITS = 20_000;
  static final int HEAL_BOUND = 5000;

  static final String REPLAY =
      "mvn -B -q -pl ejb-raft -am test -Dtest=RaftSimulationTest -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed=";

  @Test
  void simulatedClustersStaySafeAndLive() {
    String one = System.getProperty("sim.seed");
    long start = Long.getLong("sim.start", 0);
    long count = Long.getLong("sim.seeds", 500);
    if (one != null && !one.isBlank()) {
      start = Long.parseLong(one);
      count = 1;
    }
    for (long seed = start; seed < start + count; seed++) {
      try {
        String summary = new Simulation(seed, false).run(FAULT_UNITS, HEAL_BOUND);
        if (count == 1 || seed % 100 == 0) {
          System.out.println(summary);
        }
      } catch (AssertionError | RuntimeException e) {
        String trace;
        try {
          new Simulation(seed, true).run(FAULT_UNITS, HEAL_BOUND);
          trace = "(replay with tracing did not fail: nondeterminism!)";
        } catch (AssertionError | RuntimeException again) {
          trace = "";
        }
        Simulation traced = new Simulation(seed, true);
        try {
          traced.run(FAULT_UNITS, HEAL_BOUND);
        } catch (AssertionError | RuntimeException ignored) {
          trace = traced.traceTail();
        }
        fail(
            "simulation failed for seed "
                + seed
                + ": "
                + e
                + "\nreplay: "
                + REPLAY
                + seed
                + "\n--- trace tail ---\n"
                + trace,
            e);
      }
    }
  }
}
