package io.kvorum.api.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.api.LoneMember;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import io.kvorum.kv.core.KvConfig;
import io.kvorum.kv.core.PutRequest;
import io.kvorum.member.MemberIds;
import io.kvorum.server.KvServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lone member's {@code /metrics} text: etcd's names, types and the values that mean the same. */
class MemberMetricsTest {

  @TempDir Path dir;

  @Test
  void aLeaderWithAWriteShowsEtcdsMetrics() throws Exception {
    try (LoneMember member = new LoneMember(dir)) {
      KvServer s = member.server;
      s.propose(new PutRequest(bytes("foo"), bytes("bar"), 0, false, false, false))
          .get(10, TimeUnit.SECONDS);
      String text =
          MemberMetrics.text(
              s,
              member.memberId,
              StatusResponse.newBuilder().setDbSize(20480).setDbSizeInUse(16384).build(),
              KvConfig.DEFAULT_QUOTA_BYTES);
      List<String> lines = text.lines().toList();
      for (String sample :
          List.of(
              "etcd_server_has_leader 1",
              "etcd_server_is_leader 1",
              "etcd_server_leader_changes_seen_total 1",
              "etcd_server_id{server_id=\"" + MemberIds.hex(member.memberId) + "\"} 1",
              "etcd_server_version{server_version=\"3.4.23\"} 1",
              "etcd_cluster_version{cluster_version=\"3.4\"} 1",
              "etcd_server_proposals_failed_total 0",
              "etcd_server_proposals_pending 0",
              "etcd_mvcc_db_total_size_in_bytes 20480",
              "etcd_mvcc_db_total_size_in_use_in_bytes 16384",
              "etcd_debugging_mvcc_current_revision 2",
              "etcd_server_quota_backend_bytes 2147483648",
              "# TYPE etcd_disk_wal_fsync_duration_seconds histogram",
              "# TYPE etcd_server_proposals_committed_total gauge",
              "# HELP etcd_server_has_leader Whether or not a leader exists. 1 is existence, 0 is"
                  + " not.")) {
        assertTrue(lines.contains(sample), sample + " in\n" + text);
      }
      long committed = value(lines, "etcd_server_proposals_committed_total ");
      // The status is refreshed after the Ready whose apply completed the put: it may lag by one.
      assertTrue(
          committed >= 2 && committed <= s.status().commitIndex(), "commit index " + committed);
      assertTrue(value(lines, "etcd_disk_wal_fsync_duration_seconds_count ") >= 2, text);
      assertTrue(
          lines.contains(
              "etcd_disk_wal_fsync_duration_seconds_bucket{le=\"+Inf\"} "
                  + value(lines, "etcd_disk_wal_fsync_duration_seconds_count ")),
          text);
    }
  }

  private static long value(List<String> lines, String prefix) {
    return Long.parseLong(
        lines.stream()
            .filter(l -> l.startsWith(prefix))
            .findFirst()
            .orElseThrow()
            .substring(prefix.length()));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
