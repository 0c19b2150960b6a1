package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * etcd 3.4's Range semantics (applierV3backend.Range over mvcc rangeKeys): revision checks, count
 * of the whole range, min/max filters and sorting before limit, one extra row fetched to set {@code
 * more}.
 */
final class RangeEvaluator {
  private RangeEvaluator() {}

  static RangeResponse range(MvccStore s, RangeRequest r, long readRev, long headerRev) {
    long rev = r.revision();
    if (rev > readRev) {
      throw KvException.futureRevision();
    }
    if (rev <= 0) {
      rev = readRev;
    }
    if (rev < s.compactRevision) {
      throw KvException.compacted();
    }
    byte[] end = KeyIndex.end(r.rangeEnd());
    ResponseHeader header = ResponseHeader.ofRevision(headerRev);
    if (r.countOnly()) {
      return new RangeResponse(header, List.of(), false, s.index.count(r.key(), end, rev));
    }
    List<Revision> revs = s.index.revisions(r.key(), end, rev);
    boolean fetchAll =
        r.sortOrder() != RangeRequest.SortOrder.NONE
            || r.minModRevision() != 0
            || r.maxModRevision() != 0
            || r.minCreateRevision() != 0
            || r.maxCreateRevision() != 0;
    int n = revs.size();
    // limit < n - 1, not limit + 1 < n: a limit of Long.MAX_VALUE must not overflow
    if (!fetchAll && r.limit() > 0 && r.limit() < n - 1) {
      n = (int) (r.limit() + 1);
    }
    List<KeyValue> kvs = new ArrayList<>(s.fetch(revs.subList(0, n)));
    if (r.maxModRevision() != 0) {
      kvs.removeIf(kv -> kv.modRevision() > r.maxModRevision());
    }
    if (r.minModRevision() != 0) {
      kvs.removeIf(kv -> kv.modRevision() < r.minModRevision());
    }
    if (r.maxCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.createRevision() > r.maxCreateRevision());
    }
    if (r.minCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.createRevision() < r.minCreateRevision());
    }
    RangeRequest.SortOrder order = r.sortOrder();
    if (r.sortTarget() != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
      order = RangeRequest.SortOrder.ASCEND;
    }
    if (order != RangeRequest.SortOrder.NONE) {
      Comparator<KeyValue> c = comparator(r.sortTarget());
      kvs.sort(order == RangeRequest.SortOrder.DESCEND ? c.reversed() : c);
    }
    boolean more = false;
    if (r.limit() > 0 && kvs.size() > r.limit()) {
      kvs = kvs.subList(0, (int) r.limit());
      more = true;
    }
    if (r.keysOnly()) {
      kvs = kvs.stream().map(KeyValue::withoutValue).toList();
    }
    return new RangeResponse(header, kvs, more, revs.size());
  }

  private static Comparator<KeyValue> comparator(RangeRequest.SortTarget t) {
    return switch (t) {
      case KEY -> (a, b) -> Bytes.compare(a.key(), b.key());
      case VERSION -> Comparator.comparingLong(KeyValue::version);
      case CREATE -> Comparator.comparingLong(KeyValue::createRevision);
      case MOD -> Comparator.comparingLong(KeyValue::modRevision);
      case VALUE -> (a, b) -> Bytes.compare(a.value(), b.value());
    };
  }
}
