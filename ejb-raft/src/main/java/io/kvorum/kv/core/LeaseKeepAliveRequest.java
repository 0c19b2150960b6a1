package io.kvorum.kv.core;

/**
 * etcdserverpb.LeaseKeepAliveRequest, proposed through the log by a member that is not the leader
 * (etcd forwards keep-alives to the leader over its peer HTTP; Kvorum's peer transport carries only
 * Raft messages). Applying it changes no key, revision or stored lease: it answers the lease's TTL
 * (0 if unknown) on every member, and the leader's lessor renews the lease's timer.
 */
public record LeaseKeepAliveRequest(long id) implements KvRequest {}
