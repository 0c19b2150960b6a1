package io.kvorum.kv.core;

/**
 * etcdserverpb.ResponseHeader. The core fills {@code revision} only; the driver fills cluster_id,
 * member_id and raft_term for the top-level response (nested txn responses keep zeros, as etcd).
 */
public record ResponseHeader(long clusterId, long memberId, long revision, long raftTerm) {
  public static ResponseHeader ofRevision(long revision) {
    return new ResponseHeader(0, 0, revision, 0);
  }
}
