package io.kvorum.server;

import io.kvorum.kv.core.KvException;
import io.kvorum.kv.core.KvRequest;
import io.kvorum.kv.core.KvResponse;
import io.kvorum.kv.core.LeaseKeepAliveRequest;
import io.kvorum.kv.core.LeaseKeepAliveResponse;
import io.kvorum.kv.core.Lessor;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * etcd's LeaseRenew for one member. Only the leader keeps lease timers. On the leader a keep-alive
 * renews the lease locally, without the log, as etcd does. Elsewhere it is proposed through the
 * Raft log as a {@link LeaseKeepAliveRequest} (etcd forwards it to the leader over peer HTTP, but
 * Kvorum's peer transport carries Raft messages only): every member answers the lease's TTL when it
 * applies the entry, and the leader's lessor renews the lease's timer at its next tick.
 *
 * <p>Threading: any thread; the lessor synchronizes.
 */
final class LeaseRenewal {
  private final Lessor lessor;
  private final Function<KvRequest, CompletableFuture<KvResponse>> propose;
  private final LongSupplier clock;

  /**
   * @param lessor the member's lessor
   * @param propose proposes a request through the log ({@link KvServer#propose})
   * @param clock the leader's lease clock in milliseconds
   */
  LeaseRenewal(
      Lessor lessor,
      Function<KvRequest, CompletableFuture<KvResponse>> propose,
      LongSupplier clock) {
    this.lessor = lessor;
    this.propose = propose;
    this.clock = clock;
  }

  /**
   * Renews a lease.
   *
   * @return a future with the lease's TTL in seconds, 0 for an unknown or expired lease; it fails
   *     as {@link KvServer#propose} does when a forwarded keep-alive is not applied in time
   */
  CompletableFuture<Long> renew(long id) {
    if (lessor.isPrimary()) {
      try {
        return CompletableFuture.completedFuture(lessor.keepAlive(id, clock.getAsLong()));
      } catch (KvException notLeaderAnyMore) {
        // demoted since the check: forward it like any follower
      }
    }
    return propose
        .apply(new LeaseKeepAliveRequest(id))
        .thenApply(r -> ((LeaseKeepAliveResponse) r).ttl());
  }
}
