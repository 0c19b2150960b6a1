package io.kvorum.kv.core;

/**
 * A lease as stored: its granted TTL and the last checkpointed remaining TTL (0 = never
 * checkpointed; a new leader then starts it at its full TTL). Both in seconds.
 */
public record LeaseRecord(long id, long ttl, long remainingTtl) {}
