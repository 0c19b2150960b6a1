package io.kvorum.server;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.kvorum.member.MemberIds;
import java.net.URI;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a member started with {@code initial-cluster-state: existing} learns the running cluster, as
 * etcd fetches {@code /members} from the peers named in its initial cluster: over the Hazelcast
 * cluster its initial-cluster peer URLs made it join, it asks on topic {@value #TOPIC}; every
 * running member answers on the asker's reply topic with its {@link MembershipState} (cluster id,
 * members with their peer URLs, removed ids). The asker adopts the cluster id and finds its own
 * member id (given by MemberAdd) by its peer URLs.
 */
public final class HazelcastMemberDiscovery {
  static final String TOPIC = "kvorum-discovery";
  private static final Logger LOG = Logger.getLogger(HazelcastMemberDiscovery.class.getName());

  private HazelcastMemberDiscovery() {}

  /**
   * Answers joining members with this member's membership; returns the listener registration
   * (remove it with {@link #stopAnswering}).
   */
  public static UUID answer(HazelcastInstance hazelcast, Supplier<MembershipState> state) {
    ITopic<String> requests = hazelcast.getTopic(TOPIC);
    return requests.addMessageListener(
        m -> {
          MembershipState s = state.get();
          if (s == null) {
            return;
          }
          try {
            hazelcast.<byte[]>getTopic(m.getMessageObject()).publish(s.encode());
          } catch (RuntimeException e) {
            LOG.log(Level.FINE, "answering a joining member failed", e);
          }
        });
  }

  /** Stops answering. */
  public static void stopAnswering(HazelcastInstance hazelcast, UUID registration) {
    try {
      hazelcast.getTopic(TOPIC).removeMessageListener(registration);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Hazelcast already stopped", e);
    }
  }

  /**
   * Asks the running cluster for its membership until an answer lists a member with {@code
   * selfPeerUrls}, and checks it against this member's initial cluster as etcd does.
   *
   * @param initialCluster the peer URLs of every member of this member's initial-cluster
   * @return the running cluster's membership, with this member's id as {@code memberId}
   * @throws IllegalStateException with etcd's message when no member answered, or none of the
   *     answers lists this member (it was not added with MemberAdd) or the initial cluster does not
   *     match the running one
   */
  public static MembershipState discover(
      HazelcastInstance hazelcast,
      Collection<URI> selfPeerUrls,
      Collection<List<URI>> initialCluster,
      long timeoutMillis)
      throws InterruptedException {
    Set<String> self = strings(selfPeerUrls);
    String replyTopic = "kvorum-discovery-" + UUID.randomUUID();
    BlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
    ITopic<byte[]> replies = hazelcast.getTopic(replyTopic);
    UUID listener = replies.addMessageListener(m -> answers.add(m.getMessageObject()));
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      MembershipState last = null;
      while (System.nanoTime() < deadline) {
        hazelcast.<String>getTopic(TOPIC).publish(replyTopic);
        byte[] a = answers.poll(1, TimeUnit.SECONDS);
        for (; a != null; a = answers.poll()) {
          MembershipState s = MembershipState.decode(a);
          last = s;
          for (MemberRecord m : s.members().values()) {
            if (new HashSet<>(m.peerUrls()).equals(self)) {
              validate(s, initialCluster);
              return new MembershipState(s.clusterId(), m.id(), 0, s.members(), s.removed());
            }
          }
        }
      }
      if (last == null) {
        throw new IllegalStateException(
            "cannot fetch cluster info from peer urls: could not retrieve cluster information"
                + " from the given URLs");
      }
      throw new IllegalStateException(
          "error validating peerURLs "
              + describe(last)
              + ": member with peer URLs "
              + self
              + " is not in the cluster (add it with 'etcdctl member add' first)");
    } finally {
      replies.removeMessageListener(listener);
    }
  }

  /** etcd's ValidateClusterAndAssignIDs: the initial cluster must list exactly the members. */
  private static void validate(MembershipState s, Collection<List<URI>> initialCluster) {
    if (initialCluster.size() != s.members().size()) {
      throw new IllegalStateException(
          "error validating peerURLs " + describe(s) + ": member count is unequal");
    }
    for (List<URI> urls : initialCluster) {
      Set<String> local = strings(urls);
      if (s.members().values().stream().noneMatch(m -> new HashSet<>(m.peerUrls()).equals(local))) {
        throw new IllegalStateException(
            "error validating peerURLs "
                + describe(s)
                + ": unmatched member while checking PeerURLs "
                + local);
      }
    }
  }

  private static String describe(MembershipState s) {
    StringBuilder b = new StringBuilder("{ClusterID:").append(MemberIds.hex(s.clusterId()));
    b.append(" Members:[");
    s.members().values().forEach(m -> b.append(MemberIds.hex(m.id())).append(m.peerUrls()));
    return b.append("] RemovedMemberIDs:").append(s.removed()).append('}').toString();
  }

  private static Set<String> strings(Collection<URI> urls) {
    Set<String> out = new HashSet<>();
    urls.forEach(u -> out.add(u.toString()));
    return out;
  }
}
