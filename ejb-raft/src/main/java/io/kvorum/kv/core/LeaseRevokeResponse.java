package io.kvorum.kv.core;

/** etcdserverpb.LeaseRevokeResponse. */
public record LeaseRevokeResponse(ResponseHeader header) implements KvResponse {}
