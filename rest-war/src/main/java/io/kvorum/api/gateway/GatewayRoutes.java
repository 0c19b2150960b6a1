package io.kvorum.api.gateway;

import io.grpc.MethodDescriptor;
import io.kvorum.api.pb.etcdserverpb.AuthGrpc;
import io.kvorum.api.pb.etcdserverpb.ClusterGrpc;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.LeaseGrpc;
import io.kvorum.api.pb.etcdserverpb.MaintenanceGrpc;
import io.kvorum.api.pb.etcdserverpb.WatchGrpc;
import io.kvorum.api.pb.v3electionpb.ElectionGrpc;
import io.kvorum.api.pb.v3lockpb.LockGrpc;
import java.util.HashMap;
import java.util.Map;

/**
 * etcd 3.4's gateway routes: every {@code google.api.http} POST binding of rpc.proto, v3lock.proto
 * and v3election.proto, each served under {@code /v3/} and its alias {@code /v3beta/}.
 *
 * <p>As on etcd 3.4.23, HashKV has no route: rpc.proto binds it to {@code /v3/maintenance/hash},
 * the path Hash was bound to first, so {@code /v3/maintenance/hash} calls Hash and {@code
 * /v3/maintenance/hashkv} is not found. Immutable and thread-safe.
 */
public final class GatewayRoutes {
  private static final String[] PREFIXES = {"/v3/", "/v3beta/"};
  private static final Map<String, MethodDescriptor<?, ?>> ROUTES = new HashMap<>();

  static {
    route("kv/range", KVGrpc.getRangeMethod());
    route("kv/put", KVGrpc.getPutMethod());
    route("kv/deleterange", KVGrpc.getDeleteRangeMethod());
    route("kv/txn", KVGrpc.getTxnMethod());
    route("kv/compaction", KVGrpc.getCompactMethod());

    route("watch", WatchGrpc.getWatchMethod());

    route("lease/grant", LeaseGrpc.getLeaseGrantMethod());
    route("lease/revoke", LeaseGrpc.getLeaseRevokeMethod());
    route("kv/lease/revoke", LeaseGrpc.getLeaseRevokeMethod());
    route("lease/keepalive", LeaseGrpc.getLeaseKeepAliveMethod());
    route("lease/timetolive", LeaseGrpc.getLeaseTimeToLiveMethod());
    route("kv/lease/timetolive", LeaseGrpc.getLeaseTimeToLiveMethod());
    route("lease/leases", LeaseGrpc.getLeaseLeasesMethod());
    route("kv/lease/leases", LeaseGrpc.getLeaseLeasesMethod());

    route("cluster/member/add", ClusterGrpc.getMemberAddMethod());
    route("cluster/member/remove", ClusterGrpc.getMemberRemoveMethod());
    route("cluster/member/update", ClusterGrpc.getMemberUpdateMethod());
    route("cluster/member/list", ClusterGrpc.getMemberListMethod());
    route("cluster/member/promote", ClusterGrpc.getMemberPromoteMethod());

    route("maintenance/alarm", MaintenanceGrpc.getAlarmMethod());
    route("maintenance/status", MaintenanceGrpc.getStatusMethod());
    route("maintenance/defragment", MaintenanceGrpc.getDefragmentMethod());
    route("maintenance/hash", MaintenanceGrpc.getHashMethod());
    route("maintenance/snapshot", MaintenanceGrpc.getSnapshotMethod());
    route("maintenance/transfer-leadership", MaintenanceGrpc.getMoveLeaderMethod());

    route("auth/enable", AuthGrpc.getAuthEnableMethod());
    route("auth/disable", AuthGrpc.getAuthDisableMethod());
    route("auth/authenticate", AuthGrpc.getAuthenticateMethod());
    route("auth/user/add", AuthGrpc.getUserAddMethod());
    route("auth/user/get", AuthGrpc.getUserGetMethod());
    route("auth/user/list", AuthGrpc.getUserListMethod());
    route("auth/user/delete", AuthGrpc.getUserDeleteMethod());
    route("auth/user/changepw", AuthGrpc.getUserChangePasswordMethod());
    route("auth/user/grant", AuthGrpc.getUserGrantRoleMethod());
    route("auth/user/revoke", AuthGrpc.getUserRevokeRoleMethod());
    route("auth/role/add", AuthGrpc.getRoleAddMethod());
    route("auth/role/get", AuthGrpc.getRoleGetMethod());
    route("auth/role/list", AuthGrpc.getRoleListMethod());
    route("auth/role/delete", AuthGrpc.getRoleDeleteMethod());
    route("auth/role/grant", AuthGrpc.getRoleGrantPermissionMethod());
    route("auth/role/revoke", AuthGrpc.getRoleRevokePermissionMethod());

    route("lock/lock", LockGrpc.getLockMethod());
    route("lock/unlock", LockGrpc.getUnlockMethod());

    route("election/campaign", ElectionGrpc.getCampaignMethod());
    route("election/proclaim", ElectionGrpc.getProclaimMethod());
    route("election/leader", ElectionGrpc.getLeaderMethod());
    route("election/observe", ElectionGrpc.getObserveMethod());
    route("election/resign", ElectionGrpc.getResignMethod());
  }

  private GatewayRoutes() {}

  private static void route(String path, MethodDescriptor<?, ?> method) {
    for (String prefix : PREFIXES) {
      ROUTES.put(prefix + path, method);
    }
  }

  /**
   * The gRPC method etcd's gateway calls for a POST to {@code path} (e.g. {@code /v3/kv/range}), or
   * null when etcd answers 404. Paths match exactly: no trailing slash, no query.
   */
  public static MethodDescriptor<?, ?> method(String path) {
    return ROUTES.get(path);
  }
}
