package io.kvorum.server;

import com.hazelcast.core.HazelcastInstance;
import io.kvorum.config.ConfigKey;
import io.kvorum.config.MemberConfig;
import io.kvorum.kv.core.AutoCompactor;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.jpa.JpaKvBackend;
import io.kvorum.kv.jpa.JpaTransactions;
import io.kvorum.member.LocalMember;
import io.kvorum.member.MemberIds;
import io.kvorum.raft.jpa.JpaLogStorage;
import io.kvorum.raft.transport.HazelcastTransport;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The member's Raft node in the container: builds the {@link KvServer} from the member's
 * configuration — the JPA log and MVCC store in the member's database, the Hazelcast topic
 * transport — and ticks it from a non-persistent EJB interval timer every {@code
 * heartbeat-interval}.
 *
 * <p>Bean-managed concurrency: the timer callback only queues a tick for the server's driver
 * thread, so no container lock is held while Raft works and heartbeats keep their rhythm.
 */
@Singleton
@Startup
@DependsOn("LocalMember")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RaftNodeBean {
  private static final Logger LOG = Logger.getLogger(RaftNodeBean.class.getName());

  @EJB LocalMember member;
  @EJB JpaTransactions transactions;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  @Resource ManagedThreadFactory threads;
  @Resource ManagedExecutorService executor;
  @Resource TimerService timers;

  private volatile KvServer server;
  private long clusterId;
  private long memberId;
  private KvConfig kvConfig;

  @PostConstruct
  void start() {
    MemberConfig c = member.config();
    String token = c.string(ConfigKey.INITIAL_CLUSTER_TOKEN);
    long self = MemberIds.memberId(c.initialCluster().peerUrls(c.name()), token);
    List<Long> voters = new ArrayList<>();
    for (List<URI> urls : c.initialCluster().members().values()) {
      voters.add(MemberIds.memberId(urls, token));
    }
    clusterId = MemberIds.clusterId(voters);
    memberId = self;

    JpaLogStorage log = new JpaLogStorage(transactions);
    if (log.isFresh()) {
      if (!c.string(ConfigKey.INITIAL_CLUSTER_STATE).equals("new")) {
        throw new IllegalStateException(
            "initial-cluster-state existing: joining a running cluster is not supported yet");
      }
      log.bootstrap(voters);
    }
    long heartbeat = c.number(ConfigKey.HEARTBEAT_INTERVAL);
    long election = c.number(ConfigKey.ELECTION_TIMEOUT);
    KvConfig kv =
        new KvConfig(
            (int) c.number(ConfigKey.MAX_TXN_OPS),
            c.number(ConfigKey.MAX_REQUEST_BYTES),
            c.number(ConfigKey.QUOTA_BACKEND_BYTES),
            KvConfig.minLeaseTtl(heartbeat, election),
            4096);
    kvConfig = kv;
    MvccStore store = MvccStore.open(new JpaKvBackend(transactions), kv);
    HazelcastTransport transport =
        new HazelcastTransport(hazelcast, clusterId, self, threads, 8192, 1 << 20);
    KvServer s =
        new KvServer(
            ServerOptions.of(self, heartbeat, election, c.flag(ConfigKey.PRE_VOTE)),
            log,
            store,
            transport,
            threads,
            executor);
    s.setAutoCompactor(
        AutoCompactor.fromConfig(
            c.string(ConfigKey.AUTO_COMPACTION_MODE),
            c.string(ConfigKey.AUTO_COMPACTION_RETENTION)));
    s.setSnapshotCount(c.number(ConfigKey.SNAPSHOT_COUNT));
    s.start();
    server = s;
    timers.createIntervalTimer(heartbeat, heartbeat, new TimerConfig("raft-tick", false));
    LOG.info(
        () ->
            "raft member "
                + MemberIds.hex(self)
                + " of cluster "
                + MemberIds.hex(clusterId)
                + " started: applied index "
                + store.appliedIndex()
                + ", revision "
                + store.currentRevision());
  }

  @Timeout
  void tick() {
    KvServer s = server;
    if (s != null) {
      s.tick();
    }
  }

  @PreDestroy
  void stop() {
    KvServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }

  /** The member's server; null before start and after stop. */
  public KvServer server() {
    return server;
  }

  /** This cluster's id, derived as etcd derives it. */
  public long clusterId() {
    return clusterId;
  }

  /** This member's id, derived as etcd derives it. */
  public long memberId() {
    return memberId;
  }

  /** The MVCC limits taken from the member's configuration (what the API layer validates). */
  public KvConfig kvConfig() {
    return kvConfig;
  }
}
