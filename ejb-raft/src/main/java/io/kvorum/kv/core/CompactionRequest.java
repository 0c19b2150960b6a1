package io.kvorum.kv.core;

/**
 * etcdserverpb.CompactionRequest. Compaction is always physical here: the revisions are removed in
 * the same storage transaction that applies the entry.
 */
public record CompactionRequest(long revision, boolean physical) implements KvRequest {}
