package io.kvorum.kv.core;

/** etcdserverpb.LeaseCheckpointResponse. */
public record LeaseCheckpointResponse(ResponseHeader header) implements KvResponse {}
