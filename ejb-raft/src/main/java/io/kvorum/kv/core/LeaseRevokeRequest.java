package io.kvorum.kv.core;

/** etcdserverpb.LeaseRevokeRequest: revokes the lease and deletes its keys in one revision. */
public record LeaseRevokeRequest(long id) implements KvRequest {}
