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
}
