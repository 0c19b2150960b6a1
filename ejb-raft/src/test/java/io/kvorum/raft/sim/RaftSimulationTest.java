package io.kvorum.raft.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic simulation for many seeds. {@code -Dsim.seeds=N} (default 500) sets how
 * many, {@code -Dsim.start=S} the first; {@code -Dsim.seed=S} replays exactly one. A failure prints
 * the seed, the command that replays it, and the end of the run's trace. By default the run stops
 * at the first failing seed; {@code -Dsim.keepGoing=true} (for soaks) runs every seed and lists all
 * failing ones at the end.
 */
class RaftSimulationTest {
  static final int FAULT_UNITS = 20_000;
  static final int HEAL_BOUND = 5000;

  static final String REPLAY =
      "mvn -B -q -pl ejb-raft -am test -Dtest=RaftSimulationTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed=";

  @Test
  void simulatedClustersStaySafeAndLive() {
    if (!Boolean.getBoolean("sim.harsh")) {
      runSeeds(false, Long.getLong("sim.seeds", 500));
    }
  }

  /**
   * The same with heavier faults ({@link Simulation#Simulation(long, boolean, boolean)}): 250 seeds
   * by default, {@code -Dsim.harshSeeds=N}; {@code -Dsim.harsh=true} selects only these (so {@code
   * -Dsim.seed} replays a harsh seed).
   */
  @Test
  void harshlyFaultedClustersStaySafeAndLive() {
    boolean only = Boolean.getBoolean("sim.harsh");
    boolean replayingNormalSeed = System.getProperty("sim.seed") != null && !only;
    if (!replayingNormalSeed) {
      runSeeds(true, Long.getLong("sim.harshSeeds", 250));
    }
  }

  private static void runSeeds(boolean harsh, long defaultCount) {
    String one = System.getProperty("sim.seed");
    long start = Long.getLong("sim.start", 0);
    long count = defaultCount;
    boolean keepGoing = Boolean.getBoolean("sim.keepGoing");
    if (one != null && !one.isBlank()) {
      start = Long.parseLong(one);
      count = 1;
    }
    long every = count > 5000 ? 1000 : 100;
    List<String> failures = new ArrayList<>();
    for (long seed = start; seed < start + count; seed++) {
      try {
        String summary = new Simulation(seed, false, harsh).run(FAULT_UNITS, HEAL_BOUND);
        if (count == 1 || seed % every == 0) {
          System.out.println(summary);
        }
      } catch (AssertionError | RuntimeException e) {
        String report = report(seed, harsh, e);
        if (!keepGoing) {
          fail(report, e);
        }
        System.out.println("FAILED " + report);
        failures.add("seed " + seed + ": " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    System.out.printf(
        "simulated %sseeds [%d, %d): %d failed%n",
        harsh ? "harsh " : "", start, start + count, failures.size());
    if (!failures.isEmpty()) {
      fail(failures.size() + " seeds failed:\n" + String.join("\n", failures));
    }
  }

  private static String report(long seed, boolean harsh, Throwable e) {
    String trace = "(replaying with tracing did not fail: the run is not deterministic!)";
    Simulation traced = new Simulation(seed, true, harsh);
    try {
      traced.run(FAULT_UNITS, HEAL_BOUND);
    } catch (AssertionError | RuntimeException again) {
      trace = traced.traceTail();
    }
    return "simulation failed for "
        + (harsh ? "harsh " : "")
        + "seed "
        + seed
        + ": "
        + e
        + "\nreplay: "
        + REPLAY
        + seed
        + (harsh ? " -Dsim.harsh=true" : "")
        + "\n--- trace tail ---\n"
        + trace;
  }
}
