package io.kvorum.kv.core;

/** etcdserverpb.LeaseGrantResponse: the granted id and the TTL after raising it to the minimum. */
public record LeaseGrantResponse(ResponseHeader header, long id, long ttl, String error)
    implements KvResponse {}
