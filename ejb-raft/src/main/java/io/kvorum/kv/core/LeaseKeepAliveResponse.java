package io.kvorum.kv.core;

/** etcdserverpb.LeaseKeepAliveResponse: the lease's granted TTL, or 0 for an unknown lease. */
public record LeaseKeepAliveResponse(ResponseHeader header, long id, long ttl)
    implements KvResponse {}
