package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Auto-compaction decisions with a scripted clock. */
class AutoCompactorTest {
  @Test
  void periodicKeepsOnePeriodOfHistory() {
    AutoCompactor c = AutoCompactor.fromConfig("periodic", "1h");
    assertEquals(360_000, c.pollIntervalMillis());
    long compacted = 0;
    for (int step = 0; step <= 20; step++) {
      long t = step * 360_000L;
      long rev = 1 + 100L * (step + 1); // 100 revisions per poll interval
      long got = c.poll(t, rev, compacted);
      if (step == 10) {
        assertEquals(101, got, "after one period: the revision of one period ago");
        compacted = got;
      } else if (step == 20) {
        assertEquals(1101, got, "a 1h period compacts once an hour");
      } else {
        assertEquals(0, got, "nothing at step " + step);
      }
    }
  }

  @Test
  void revisionModeRetainsTheLastRevisions() {
    AutoCompactor c = AutoCompactor.fromConfig("revision", "1000");
    assertEquals(300_000, c.pollIntervalMillis());
    assertEquals(0, c.poll(0, 500, 0));
    assertEquals(4000, c.poll(300_000, 5000, 0));
    assertEquals(0, c.poll(600_000, 5000, 4000), "no new revisions");
  }

  @Test
  void configIsValidatedNamingTheKey() {
    assertNull(AutoCompactor.fromConfig("periodic", "0"));
    assertNull(AutoCompactor.fromConfig(null, null));
    assertEquals(AutoCompactor.Mode.PERIODIC, AutoCompactor.fromConfig("", "2").mode());
    assertEquals(
        "auto-compaction-retention is invalid: 5x",
        assertThrows(
                IllegalArgumentException.class, () -> AutoCompactor.fromConfig("periodic", "5x"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> AutoCompactor.fromConfig("daily", "1"));
  }
}
