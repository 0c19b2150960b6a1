package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Watches: replay, live events, filters, prev_kv, compaction, progress, fragments; both stores. */
class WatchRulesTest {
  private static List<WatchResponse> drain(WatchStream w) {
    List<WatchResponse> all = new ArrayList<>();
    for (List<WatchResponse> r = w.poll(100); !r.isEmpty(); r = w.poll(100)) {
      all.addAll(r);
    }
    return all;
  }

  private static List<Event> events(List<WatchResponse> rs) {
    List<Event> out = new ArrayList<>();
    for (WatchResponse r : rs) {
      out.addAll(r.events());
    }
    return out;
  }

  private static List<String> describe(List<Event> es) {
    return es.stream()
        .map(e -> e.type() + " " + TestStore.str(e.kv().key()) + "@" + e.kv().modRevision())
        .toList();
  }

  @OnBothStores
  void replayFromThePastThenLiveEventsInOrder(StoreKind kind) {
    TestStore s = new TestStore(kind);
    s.put("a", "1"); // 2
    s.put("b", "1"); // 3
    s.reopen(); // history before opening comes from storage
    AtomicInteger signals = new AtomicInteger();
    WatchStream w = s.store.watches().openStream(signals::incrementAndGet);
    long id = w.create(WatchCreateRequest.of(new byte[] {0}, new byte[] {0}, 2));
    List<WatchResponse> first = drain(w);
    assertTrue(first.get(0).created());
    assertEquals(id, first.get(0).watchId());
    assertEquals(List.of("PUT a@2", "PUT b@3"), describe(events(first)));
    s.put("a", "2"); // 4
    s.del("b"); // 5
    s.ok(new TxnRequest(null, List.of(PutRequest.of("c", "1"), PutRequest.of("d", "1")), null));
    assertTrue(signals.get() >= 3, "the apply path signals the stream");
    List<Event> live = events(drain(w));
    assertEquals(List.of("PUT a@4", "DELETE b@5", "PUT c@6", "PUT d@6"), describe(live));
    KeyValue del = live.get(1).kv();
    assertEquals(0, del.createRevision(), "a DELETE event carries key and mod_revision only");
    assertEquals(0, del.version());
    assertTrue(drain(w).isEmpty());
  }

  @OnBothStores
  void keyAndPrefixWatchesWithFiltersAndPrevKv(StoreKind kind) {
    TestStore s = new TestStore(kind);
    WatchStream w = s.store.watches().openStream(null);
    long one = w.create(WatchCreateRequest.of(Bytes.of("k"), null, 0));
    byte[] p = Bytes.of("p/");
    long noPut =
        w.create(
            new WatchCreateRequest(
                p,
                Bytes.prefixEnd(p),
                0,
                false,
                List.of(WatchCreateRequest.FilterType.NOPUT),
                true,
                0,
                false));
    drain(w);
    s.put("k", "1");
    s.put("kk", "1");
    s.put("p/1", "old");
    s.put("p/1", "new");
    s.del("p/1");
    List<WatchResponse> rs = drain(w);
    List<Event> forOne =
        rs.stream().filter(r -> r.watchId() == one).flatMap(r -> r.events().stream()).toList();
    assertEquals(List.of("PUT k@2"), describe(forOne));
    List<Event> forPrefix =
        rs.stream().filter(r -> r.watchId() == noPut).flatMap(r -> r.events().stream()).toList();
    assertEquals(List.of("DELETE p/1@6"), describe(forPrefix));
    TestStore.assertKv(forPrefix.get(0).prevKv(), "p/1", 4, 5, 2, "new");
  }

  @OnBothStores
  void watchingFromACompactedRevisionIsCanceledWithTheCompactRevision(StoreKind kind) {
    TestStore s = new TestStore(kind);
    for (int i = 0; i < 5; i++) {
      s.put("a", "v" + i); // 2..6
    }
    s.ok(new CompactionRequest(6, true));
    WatchStream w = s.store.watches().openStream(null);
    long id = w.create(WatchCreateRequest.of(Bytes.of("a"), null, 3));
    List<WatchResponse> rs = drain(w);
    assertTrue(rs.get(0).created());
    WatchResponse cancel = rs.get(1);
    assertEquals(id, cancel.watchId());
    assertTrue(cancel.canceled());
    assertEquals(6, cancel.compactRevision());
    assertEquals("", cancel.cancelReason(), "etcd sends no cancel_reason");
    long ok = w.create(WatchCreateRequest.of(Bytes.of("a"), null, 6));
    List<WatchResponse> rs2 = drain(w);
    assertEquals(List.of("PUT a@6"), describe(events(rs2)));
    assertEquals(ok, rs2.get(1).watchId());
  }

  /** Checked against etcd 3.4.23 with etcdctl watch --rev (2026-11-25). */
  @OnBothStores
  void watchAtTheCompactRevisionDoesNotSeeACompactedTombstone(StoreKind kind) {
    TestStore s = new TestStore(kind);
    WatchStream live = s.store.watches().openStream(null);
    live.create(WatchCreateRequest.of(new byte[] {0}, new byte[] {0}, 0));
    s.put("a", "1"); // 2
    s.del("a"); // 3
    s.put("b", "1"); // 4
    s.ok(new CompactionRequest(3, true));
    WatchStream w = s.store.watches().openStream(null);
    w.create(WatchCreateRequest.of(new byte[] {0}, new byte[] {0}, 3));
    assertEquals(List.of("PUT b@4"), describe(events(drain(w))));
    long old = w.create(WatchCreateRequest.of(new byte[] {0}, new byte[] {0}, 2));
    List<WatchResponse> rs = drain(w);
    assertEquals(old, rs.get(1).watchId());
    assertEquals(3, rs.get(1).compactRevision());
    assertEquals(
        List.of("PUT a@2", "DELETE a@3", "PUT b@4"),
        describe(events(drain(live))),
        "a watcher that was live keeps what it was sent");
  }

  @OnBothStores
  void progressRequestAndProgressNotifyAndCancel(StoreKind kind) {
    TestStore s = new TestStore(kind);
    WatchStream w = s.store.watches().openStream(null);
    long id = w.create(new WatchCreateRequest(Bytes.of("x"), null, 0, true, null, false, 0, false));
    drain(w);
    s.put("y", "1");
    w.requestProgress();
    List<WatchResponse> p = drain(w);
    assertEquals(1, p.size());
    assertEquals(-1, p.get(0).watchId());
    assertEquals(2, p.get(0).header().revision());
    w.progressNotify();
    List<WatchResponse> n = drain(w);
    assertEquals(1, n.size());
    assertEquals(id, n.get(0).watchId());
    assertTrue(n.get(0).events().isEmpty());
    w.cancel(id);
    List<WatchResponse> c = drain(w);
    assertTrue(c.get(0).canceled());
    s.put("x", "1");
    assertTrue(drain(w).isEmpty(), "a canceled watcher gets nothing");
    assertEquals(
        99,
        w.create(new WatchCreateRequest(Bytes.of("x"), null, 0, false, null, false, 99, false)));
    WatchResponse dup = drain(w).get(0);
    assertTrue(dup.created());
    assertFalse(dup.canceled());
  }

  @OnBothStores
  void watchersOfAStreamAreServedRoundRobin(StoreKind kind) {
    TestStore s = new TestStore(kind);
    WatchStream w = s.store.watches().openStream(null);
    long a = w.create(WatchCreateRequest.of(Bytes.of("a"), null, 0));
    long b = w.create(WatchCreateRequest.of(Bytes.of("b"), null, 0));
    drain(w);
    s.put("a", "1");
    s.put("b", "1");
    assertEquals(a, w.poll(1).get(0).watchId());
    s.put("a", "2");
    assertEquals(b, w.poll(1).get(0).watchId(), "b is not starved by a");
    assertEquals(a, w.poll(1).get(0).watchId());
    assertTrue(w.poll(1).isEmpty());
  }

  @OnBothStores
  void largeRevisionsAreFragmentedOnlyWhenAsked(StoreKind kind) {
    KvConfig cfg = new KvConfig(128, 1000, 0, 2, 4096);
    TestStore s = new TestStore(kind, cfg);
    WatchStream w = s.store.watches().openStream(null);
    byte[] all = {0};
    w.create(new WatchCreateRequest(all, all, 0, false, null, false, 1, true));
    w.create(new WatchCreateRequest(all, all, 0, false, null, false, 2, false));
    drain(w);
    List<RequestOp> puts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      puts.add(PutRequest.of("k" + i, "v".repeat(300)));
    }
    s.ok(new TxnRequest(null, puts, null));
    List<WatchResponse> rs = drain(w);
    List<WatchResponse> frag = rs.stream().filter(r -> r.watchId() == 1).toList();
    assertTrue(frag.size() > 1);
    assertTrue(frag.subList(0, frag.size() - 1).stream().allMatch(WatchResponse::fragment));
    assertFalse(frag.get(frag.size() - 1).fragment());
    assertEquals(5, events(frag).size());
    List<WatchResponse> whole = rs.stream().filter(r -> r.watchId() == 2).toList();
    assertEquals(1, whole.size(), "without fragment a revision is one response");
    assertEquals(5, whole.get(0).events().size());
  }

  @OnBothStores
  void aSlowWatcherCatchesUpFromStorageWithNoGaps(StoreKind kind) {
    TestStore s = new TestStore(kind, KvConfig.defaults().withWatchRingEvents(8));
    WatchStream slow = s.store.watches().openStream(null);
    byte[] all = {0};
    slow.create(WatchCreateRequest.of(all, all, 0));
    drain(slow);
    int n = 2500;
    for (int i = 0; i < n; i++) {
      if (i % 10 == 9) {
        s.ok(
            new TxnRequest(
                null, List.of(PutRequest.of("t" + i, "a"), PutRequest.of("u" + i, "b")), null));
      } else {
        s.put("k" + (i % 50), "v" + i);
      }
    }
    List<WatchResponse> first = slow.poll(1);
    assertTrue(
        events(first).size() <= WatchStream.SCAN_ROWS,
        "one poll reads a bounded page from storage");
    List<Event> es = new ArrayList<>(events(first));
    es.addAll(events(drain(slow)));
    assertEquals(n + n / 10, es.size());
    long expect = 2;
    for (int i = 0; i < es.size(); i++) {
      long rev = es.get(i).kv().modRevision();
      if (i > 0 && rev == es.get(i - 1).kv().modRevision()) {
        continue;
      }
      assertEquals(expect++, rev, "revisions arrive in order without gaps");
    }
    assertNull(es.get(0).prevKv());
  }
}
