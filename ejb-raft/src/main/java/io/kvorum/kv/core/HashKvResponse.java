package io.kvorum.kv.core;

/**
 * etcdserverpb.HashKVResponse: a CRC-32C over every stored revision up to the requested one, equal
 * on all members at the same revision (compaction goes through the log, so all members keep the
 * same rows).
 */
public record HashKvResponse(ResponseHeader header, long hash, long compactRevision) {}
