package io.kvorum.kv.core;

/**
 * A request that travels through the Raft log (etcd's InternalRaftRequest). Encoded by {@link
 * RequestCodec}; applied by {@link MvccStore#applyBatch}.
 */
public sealed interface KvRequest
    permits RangeRequest,
        PutRequest,
        DeleteRangeRequest,
        TxnRequest,
        CompactionRequest,
        LeaseGrantRequest,
        LeaseRevokeRequest,
        LeaseCheckpointRequest,
        LeaseKeepAliveRequest,
        AlarmRequest {}
