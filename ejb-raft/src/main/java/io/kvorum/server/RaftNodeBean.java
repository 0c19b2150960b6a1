package io.kvorum.server;

import com.hazelcast.core.HazelcastInstance;
import io.kvorum.config.ConfigKey;
import io.kvorum.config.MemberConfig;
import io.kvorum.kv.core.AutoCompactor;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.MvccStore;
import io.kvorum.kv.jpa.JpaKvBackend;
import io.kvorum.kv.jpa.JpaTransactions;
import io.kvorum.kv.jpa.ResourceLocalTransactions;
import io.kvorum.member.LocalMember;
import io.kvorum.member.MemberIds;
import io.kvorum.raft.core.Role;
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
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private JpaTransactions transactions;
  private EntityManagerFactory database;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  @Resource ManagedThreadFactory threads;
  @Resource ManagedExecutorService executor;
  @Resource TimerService timers;

  private volatile KvServer server;
  private long clusterId;
  private long memberId;
  private KvConfig kvConfig;
  private UUID discovery;
  private volatile boolean exiting;
  private final AtomicBoolean handedOver = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::handOverLeadership, "kvorum-hand-over");

  @PostConstruct
  void start() {
    MemberConfig c = member.config();
    database = openDatabase();
    transactions = new ResourceLocalTransactions(database);
    JpaLogStorage log = new JpaLogStorage(transactions);
    JpaMemberStore members = new JpaMemberStore(transactions);
    MembershipState seed = members.load();
    if (seed == null) {
      seed = seed(c, log);
    }
    long self = seed.memberId();
    clusterId = seed.clusterId();
    memberId = self;
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
    s.membership()
        .open(
            members,
            seed,
            c.name(),
            c.urls(ConfigKey.ADVERTISE_CLIENT_URLS).stream().map(URI::toString).toList(),
            c.flag(ConfigKey.STRICT_RECONFIG_CHECK))
        .members()
        .keySet()
        .forEach(transport::addPeer); // a joining member's log names no peers yet
    s.setAutoCompactor(
        AutoCompactor.fromConfig(
            c.string(ConfigKey.AUTO_COMPACTION_MODE),
            c.string(ConfigKey.AUTO_COMPACTION_RETENTION)));
    s.setSnapshotCount(c.number(ConfigKey.SNAPSHOT_COUNT));
    s.start();
    server = s;
    discovery = HazelcastMemberDiscovery.answer(hazelcast, () -> s.membership().state());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
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

  /**
   * The membership of a data-dir without one: the initial cluster (bootstrapping a fresh log with
   * {@code initial-cluster-state: new}, or a log written before memberships were kept), or, with
   * {@code existing} and a fresh log, the running cluster's, learnt from its members (which also
   * gives this member the id MemberAdd assigned). Ids are derived as etcd derives them.
   */
  private MembershipState seed(MemberConfig c, JpaLogStorage log) {
    List<URI> selfUrls = c.initialCluster().peerUrls(c.name());
    if (log.isFresh() && c.string(ConfigKey.INITIAL_CLUSTER_STATE).equals("existing")) {
      try {
        MembershipState joined =
            HazelcastMemberDiscovery.discover(
                hazelcast, selfUrls, c.initialCluster().members().values(), 60_000);
        LOG.info(
            () ->
                "joining cluster "
                    + MemberIds.hex(joined.clusterId())
                    + " as member "
                    + MemberIds.hex(joined.memberId()));
        return joined;
      } catch (IllegalStateException e) {
        // etcd logs why and exits: a member that cannot join must not run apart.
        LOG.severe(e.getMessage() + "; exiting");
        threads.newThread(() -> System.exit(1)).start();
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while joining", e);
      }
    }
    String token = c.string(ConfigKey.INITIAL_CLUSTER_TOKEN);
    Map<Long, MemberRecord> initial = new TreeMap<>();
    for (Map.Entry<String, List<URI>> e : c.initialCluster().members().entrySet()) {
      long id = MemberIds.memberId(e.getValue(), token);
      List<String> urls = e.getValue().stream().map(URI::toString).toList();
      initial.put(id, new MemberRecord(id, "", urls, List.of(), false));
    }
    if (log.isFresh()) {
      log.bootstrap(initial.keySet());
    }
    return new MembershipState(
        MemberIds.clusterId(initial.keySet()),
        MemberIds.memberId(selfUrls, token),
        0,
        initial,
        Set.of());
  }

  @Timeout
  void tick() {
    KvServer s = server;
    if (s == null) {
      return;
    }
    s.tick();
    if (s.membership().removed() && !exiting) {
      // etcd exits once it applied its own removal.
      exiting = true;
      LOG.severe("the member has been permanently removed from the cluster; exiting");
      Thread t = threads.newThread(() -> System.exit(0));
      t.start();
    }
  }

  /**
   * A leader hands leadership to its most caught-up voter first, as etcd does on shutdown, so the
   * cluster does not wait an election timeout. Runs once: from a JVM shutdown hook (SIGTERM to
   * Payara Micro; the hook runs while Hazelcast still carries messages, which the container's own
   * shutdown may not ensure before it destroys this bean) or from {@code @PreDestroy} (undeploy).
   */
  private void handOverLeadership() {
    KvServer s = server;
    if (s == null || s.membership().removed() || !handedOver.compareAndSet(false, true)) {
      return;
    }
    long timeout = 2 * member.config().number(ConfigKey.ELECTION_TIMEOUT) + 1_000;
    boolean leader = s.status().role() == Role.LEADER;
    boolean done = leader && s.membership().transferLeadershipBeforeStop(timeout);
    // JUL may already be reset by the JVM's shutdown, and Payara routes System.err into it: write
    // to the process's stderr itself (the member's log).
    new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8)
        .println(
            "kvorum: member "
                + MemberIds.hex(memberId)
                + (!leader
                    ? " stopping (a follower)"
                    : done
                        ? " stopping: leadership handed to " + MemberIds.hex(s.status().leader())
                        : " stopping: leadership hand-over not confirmed within "
                            + timeout
                            + " ms"));
  }

  @PreDestroy
  void stop() {
    KvServer s = server;
    if (discovery != null) {
      HazelcastMemberDiscovery.stopAnswering(hazelcast, discovery);
    }
    handOverLeadership();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook ran or runs
    }
    server = null;
    if (s != null) {
      s.close();
    }
    if (database != null) {
      database.close();
    }
  }

  /**
   * The member's database for the Raft log, the membership and the KV store: the persistence unit
   * "kvorum" bootstrapped RESOURCE_LOCAL on the same embedded H2 file as the container's data
   * source ({@link LocalMember#databaseUrl()}; one H2 database per JVM and path, shared by both).
   * Each persist and apply is then one plain database transaction, not a container-managed JTA one.
   */
  private static EntityManagerFactory openDatabase() {
    Map<String, Object> p = new java.util.HashMap<>();
    p.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
    p.put("jakarta.persistence.jtaDataSource", "");
    p.put("jakarta.persistence.nonJtaDataSource", "");
    p.put("jakarta.persistence.jdbc.driver", "org.h2.Driver");
    p.put("jakarta.persistence.jdbc.url", LocalMember.databaseUrl());
    p.put("jakarta.persistence.jdbc.user", LocalMember.DATABASE_USER);
    p.put("jakarta.persistence.jdbc.password", LocalMember.DATABASE_PASSWORD);
    p.put("eclipselink.logging.level", "WARNING");
    return Persistence.createEntityManagerFactory("kvorum", p);
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
