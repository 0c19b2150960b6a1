package io.kvorum.kv.core;

import java.util.List;

/** etcdserverpb.LeaseTimeToLiveResponse ({@code ttl} -1 for an unknown lease). */
public record LeaseTimeToLiveResponse(
    ResponseHeader header, long id, long ttl, long grantedTtl, List<byte[]> keys) {}
