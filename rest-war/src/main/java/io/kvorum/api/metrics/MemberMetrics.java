package io.kvorum.api.metrics;

import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import io.kvorum.member.MemberIds;
import io.kvorum.member.Versions;
import io.kvorum.raft.core.Role;
import io.kvorum.server.KvServer;
import io.kvorum.server.ServerMetrics;

/**
 * A member's {@code /metrics}: etcd's metrics that mean the same thing in Kvorum, under etcd's
 * names, help texts and types (copied from etcd 3.4.23's {@code /metrics}), so etcd dashboards and
 * alerts read them unchanged. Sizes come from the Maintenance Status answer, the same numbers
 * {@code etcdctl endpoint status} shows.
 */
public final class MemberMetrics {
  /** Prometheus' text format, version 0.0.4, as etcd answers. */
  public static final String MEDIA_TYPE = PrometheusText.MEDIA_TYPE;

  private MemberMetrics() {}

  /**
   * The exposition text.
   *
   * @param server the member's running server
   * @param memberId this member's id
   * @param status this member's Maintenance Status answer (db sizes)
   * @param quotaBackendBytes the effective {@code quota-backend-bytes}
   */
  public static String text(
      KvServer server, long memberId, StatusResponse status, long quotaBackendBytes) {
    KvServer.Status raft = server.status();
    ServerMetrics m = server.metrics();
    return new PrometheusText()
        .gauge(
            "etcd_debugging_mvcc_compact_revision",
            "The revision of the last compaction in store.",
            Math.max(0, server.store().compactRevision())) // etcd: 0 until the first compaction
        .gauge(
            "etcd_debugging_mvcc_current_revision",
            "The current revision of store.",
            server.store().currentRevision())
        .histogram(
            "etcd_disk_wal_fsync_duration_seconds",
            "The latency distributions of fsync called by WAL.",
            m.logPersistDuration())
        .gauge(
            "etcd_mvcc_db_total_size_in_bytes",
            "Total size of the underlying database physically allocated in bytes.",
            status.getDbSize())
        .gauge(
            "etcd_mvcc_db_total_size_in_use_in_bytes",
            "Total size of the underlying database logically in use in bytes.",
            status.getDbSizeInUse())
        .gauge(
            "etcd_server_has_leader",
            "Whether or not a leader exists. 1 is existence, 0 is not.",
            raft.leader() != 0 ? 1 : 0)
        .info(
            "etcd_server_id",
            "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.",
            "server_id",
            MemberIds.hex(memberId))
        .gauge(
            "etcd_server_is_leader",
            "Whether or not this member is a leader. 1 if is, 0 otherwise.",
            raft.role() == Role.LEADER ? 1 : 0)
        .counter(
            "etcd_server_leader_changes_seen_total",
            "The number of leader changes seen.",
            m.leaderChanges())
        .gauge(
            "etcd_server_proposals_applied_total",
            "The total number of consensus proposals applied.",
            raft.appliedIndex())
        .gauge(
            "etcd_server_proposals_committed_total",
            "The total number of consensus proposals committed.",
            raft.commitIndex())
        .counter(
            "etcd_server_proposals_failed_total",
            "The total number of failed proposals seen.",
            m.proposalsFailed())
        .gauge(
            "etcd_server_proposals_pending",
            "The current number of pending proposals to commit.",
            m.proposalsPending())
        .gauge(
            "etcd_server_quota_backend_bytes",
            "Current backend storage quota size in bytes.",
            quotaBackendBytes)
        .info(
            "etcd_server_version",
            "Which version is running. 1 for 'server_version' label with current version.",
            "server_version",
            Versions.etcdServer())
        .info(
            "etcd_cluster_version",
            "Which version is running. 1 for 'cluster_version' label with current cluster version",
            "cluster_version",
            majorMinor(Versions.etcdCluster()))
        .toString();
  }

  /** etcd labels the cluster version "3.4", not "3.4.0". */
  private static String majorMinor(String version) {
    int second = version.indexOf('.', version.indexOf('.') + 1);
    return second < 0 ? version : version.substring(0, second);
  }
}
