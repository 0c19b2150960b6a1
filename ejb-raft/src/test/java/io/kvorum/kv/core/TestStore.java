package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A store plus a Raft index counter: what the driver would do, in one line per request. */
final class TestStore {
  final StoreKind kind;
  final KvConfig config;
  KvBackend backend;
  MvccStore store;
  long index;

  TestStore(StoreKind kind) {
    this(kind, KvConfig.defaults());
  }

  TestStore(StoreKind kind, KvConfig config) {
    this.kind = kind;
    this.config = config;
    this.backend = kind.fresh();
    this.store = MvccStore.open(backend, config);
  }

  /** Reopens the store from its backend, as after a restart. */
  TestStore reopen() {
    backend = kind.reopen(backend);
    store = MvccStore.open(backend, config);
    return this;
  }

  ApplyResult apply(KvRequest r) {
    return store.apply(++index, r);
  }

  KvResponse ok(KvRequest r) {
    ApplyResult a = apply(r);
    assertNotNull(a.response(), () -> "expected success, got " + a.error());
    return a.response();
  }

  KvException err(KvRequest r) {
    ApplyResult a = apply(r);
    assertNotNull(a.error(), () -> "expected an error, got " + a.response());
    return a.error();
  }

  PutResponse put(String k, String v) {
    return (PutResponse) ok(PutRequest.of(k, v));
  }

  DeleteRangeResponse del(String k) {
    return (DeleteRangeResponse) ok(DeleteRangeRequest.of(k));
  }

  RangeResponse get(RangeRequest r) {
    return store.range(r);
  }

  /** The value of a key now, or null. */
  String value(String k) {
    List<KeyValue> kvs = store.range(RangeRequest.of(k)).kvs();
    return kvs.isEmpty() ? null : str(kvs.get(0).value());
  }

  static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static List<String> keys(RangeResponse r) {
    return r.kvs().stream().map(kv -> str(kv.key())).toList();
  }

  static void assertKv(KeyValue kv, String key, long create, long mod, long version, String value) {
    assertEquals(key, str(kv.key()), "key");
    assertEquals(create, kv.createRevision(), "create_revision");
    assertEquals(mod, kv.modRevision(), "mod_revision");
    assertEquals(version, kv.version(), "version");
    assertEquals(value, str(kv.value()), "value");
  }
}
