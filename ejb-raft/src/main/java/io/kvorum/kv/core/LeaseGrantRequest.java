package io.kvorum.kv.core;

/** etcdserverpb.LeaseGrantRequest: {@code id} 0 lets the store pick one (deterministically). */
public record LeaseGrantRequest(long ttl, long id) implements KvRequest {}
