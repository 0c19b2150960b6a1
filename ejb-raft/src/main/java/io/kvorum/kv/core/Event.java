package io.kvorum.kv.core;

/**
 * mvccpb.Event. A DELETE's kv carries the key and mod_revision only; prevKv is null unless asked.
 */
public record Event(EventType type, KeyValue kv, KeyValue prevKv) {
  public enum EventType {
    PUT,
    DELETE
  }

  Event withPrevKv(KeyValue prev) {
    return new Event(type, kv, prev);
  }
}
