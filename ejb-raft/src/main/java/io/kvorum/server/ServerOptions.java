package io.kvorum.server;

import java.util.function.LongSupplier;

/**
 * How a {@link KvServer} runs.
 *
 * @param id this member's id
 * @param electionTicks election timeout in ticks (etcd: election-timeout / heartbeat-interval)
 * @param heartbeatTicks heartbeat interval in ticks (1)
 * @param tickMillis how often the owner ticks, to turn millisecond timeouts into ticks
 * @param preVote whether elections start with a pre-vote round
 * @param seed seeds the randomized election timeouts
 * @param requestTimeoutMillis when a proposal or read not answered by then fails ("request timed
 *     out"); etcd's is 5 s plus 2 × election timeout
 * @param leaseCheckpointIntervalMillis how often the leader checkpoints remaining lease TTLs
 * @param clock milliseconds for lease expiry (only the leader's clock decides)
 */
public record ServerOptions(
    long id,
    int electionTicks,
    int heartbeatTicks,
    long tickMillis,
    boolean preVote,
    long seed,
    long requestTimeoutMillis,
    long leaseCheckpointIntervalMillis,
    LongSupplier clock) {

  /** Options from etcd's settings: heartbeat-interval and election-timeout in milliseconds. */
  public static ServerOptions of(
      long id, long heartbeatMillis, long electionMillis, boolean preVote) {
    return new ServerOptions(
        id,
        (int) (electionMillis / heartbeatMillis),
        1,
        heartbeatMillis,
        preVote,
        id,
        5_000 + 2 * electionMillis,
        300_000,
        System::currentTimeMillis);
  }

  /** The request timeout in ticks. */
  long requestTimeoutTicks() {
    return Math.max(1, requestTimeoutMillis / tickMillis);
  }
}
