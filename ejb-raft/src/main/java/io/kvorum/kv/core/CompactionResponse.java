package io.kvorum.kv.core;

/** etcdserverpb.CompactionResponse. */
public record CompactionResponse(ResponseHeader header) implements KvResponse {}
