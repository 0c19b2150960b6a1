package io.kvorum.kv.core;

/**
 * The stored revisions from {@code first} to {@code last}, both inclusive, in (main, sub) order:
 * how compaction hands its deletes to the backend, so a large compaction is a few range deletes.
 */
public record RevisionRange(Revision first, Revision last) {}
