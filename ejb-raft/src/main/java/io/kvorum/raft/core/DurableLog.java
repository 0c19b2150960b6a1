package io.kvorum.raft.core;

/**
 * The Raft log as the member's driver writes it: what {@link LogStorage} reads, plus the one write
 * the driver makes per {@link Ready}.
 */
public interface DurableLog extends LogStorage {
  /**
   * Makes everything of {@code ready} that must be durable durable, in one atomic step: its entries
   * (replacing a conflicting suffix) and its hard state. When this returns, the data survives a
   * crash; only then does the driver send the Ready's messages.
   *
   * <p>Called only by the driver thread.
   *
   * @throws RuntimeException a storage failure; the member must stop (it cannot promise anything)
   */
  void persist(Ready ready);

  /**
   * Records a snapshot of the application's state at {@code index} (at most the applied index) and
   * drops the log up to it; {@code data} is read to its end. Called only by the driver thread.
   *
   * @throws java.io.IOException if reading {@code data} fails (the log is unchanged)
   */
  void createSnapshot(long index, ConfState confState, java.io.InputStream data)
      throws java.io.IOException;

  /**
   * The current snapshot's data, read in bounded pieces: to restore the application after a
   * snapshot was installed by {@link #persist}, or at start when the application is behind it.
   */
  java.io.InputStream snapshotData();
}
