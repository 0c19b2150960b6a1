package io.kvorum.kv.core;

/**
 * A committed Raft entry to apply: its index and the decoded request, or a null request for entries
 * that carry no KV request (empty leader entries, configuration changes) but still advance the
 * applied index.
 */
public record CommittedEntry(long index, KvRequest request) {}
