package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.List;

/**
 * etcd 3.4's Txn apply: every compare on the path (nested ones too) is evaluated against the state
 * before the txn, then puts and ranges on that path are checked, then the ops run in one write txn
 * (one main revision). Nested txn responses carry an empty header, as etcd's do.
 */
final class TxnApplier {
  private final MvccStore store;
  private final Applier applier;
  private final List<Boolean> path = new ArrayList<>();
  private int cursor;

  TxnApplier(MvccStore store, Applier applier) {
    this.store = store;
    this.applier = applier;
  }

  TxnResponse txn(TxnRequest rt) {
    applier.checkWritable(cost(rt));
    computePath(rt);
    if (!readOnly(rt)) {
      cursor = 0;
      check(rt, true);
    }
    cursor = 0;
    check(rt, false);
    WriteTxn t = new WriteTxn(store);
    cursor = 0;
    TxnResponse inner = applyTxn(t, rt);
    t.end();
    return new TxnResponse(
        ResponseHeader.ofRevision(t.rev()), inner.succeeded(), inner.responses());
  }

  private void computePath(TxnRequest rt) {
    boolean ok = true;
    for (Compare c : rt.compare()) {
      if (!compare(c)) {
        ok = false;
        break;
      }
    }
    path.add(ok);
    for (RequestOp op : ok ? rt.success() : rt.failure()) {
      if (op instanceof TxnRequest n) {
        computePath(n);
      }
    }
  }

  /** Walks the taken path checking puts (puts=true) or ranges (puts=false), as checkRequests. */
  private void check(TxnRequest rt, boolean puts) {
    boolean ok = path.get(cursor++);
    for (RequestOp op : ok ? rt.success() : rt.failure()) {
      if (op instanceof TxnRequest n) {
        check(n, puts);
      } else if (puts && op instanceof PutRequest p) {
        applier.checkTxnPut(p);
      } else if (!puts && op instanceof RangeRequest r && r.revision() != 0) {
        if (r.revision() > store.currentRevision) {
          throw KvException.futureRevision();
        }
        if (r.revision() < store.compactRevision) {
          throw KvException.compacted();
        }
      }
    }
  }

  private TxnResponse applyTxn(WriteTxn t, TxnRequest rt) {
    boolean ok = path.get(cursor++);
    List<ResponseOp> responses = new ArrayList<>();
    for (RequestOp op : ok ? rt.success() : rt.failure()) {
      if (op instanceof RangeRequest r) {
        responses.add(t.range(r));
      } else if (op instanceof PutRequest p) {
        responses.add(applier.put(t, p));
      } else if (op instanceof DeleteRangeRequest d) {
        responses.add(applier.deleteRange(t, d));
      } else if (op instanceof TxnRequest n) {
        responses.add(applyTxn(t, n));
      }
    }
    return new TxnResponse(ResponseHeader.ofRevision(0), ok, responses);
  }

  /** etcd's applyCompare: a missing key compares as zeros, but a VALUE compare on it fails. */
  private boolean compare(Compare c) {
    List<KeyHistory> live = store.liveHistories(c.key(), KeyIndex.end(c.rangeEnd()));
    if (live.isEmpty()) {
      return c.target() != Compare.CompareTarget.VALUE && holds(c, 0, Bytes.EMPTY, null);
    }
    for (KeyHistory h : live) {
      long n =
          switch (c.target()) {
            case VERSION -> h.version;
            case CREATE -> h.createRevision;
            case MOD -> h.latest().main();
            case LEASE -> h.lease;
            case VALUE -> 0;
          };
      KeyValue kv =
          c.target() == Compare.CompareTarget.VALUE
              ? store.fetch(List.of(h.latest())).get(0)
              : null;
      if (!holds(c, n, kv == null ? null : kv.value(), kv)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(Compare c, long n, byte[] value, KeyValue kv) {
    int result =
        c.target() == Compare.CompareTarget.VALUE
            ? Bytes.compare(value, c.targetValue())
            : Long.compare(n, c.targetNumber());
    return switch (c.result()) {
      case EQUAL -> result == 0;
      case NOT_EQUAL -> result != 0;
      case GREATER -> result > 0;
      case LESS -> result < 0;
    };
  }

  static boolean readOnly(TxnRequest rt) {
    return ops(rt.success()) && ops(rt.failure());
  }

  private static boolean ops(List<RequestOp> ops) {
    for (RequestOp op : ops) {
      if (op instanceof PutRequest || op instanceof DeleteRangeRequest) {
        return false;
      }
      if (op instanceof TxnRequest n && !readOnly(n)) {
        return false;
      }
    }
    return true;
  }

  /** The quota cost: the larger of the two branches' put sizes. */
  static long cost(TxnRequest rt) {
    return Math.max(cost(rt.success()), cost(rt.failure()));
  }

  private static long cost(List<RequestOp> ops) {
    long c = 0;
    for (RequestOp op : ops) {
      if (op instanceof PutRequest p) {
        c += Applier.putCost(p);
      } else if (op instanceof TxnRequest n) {
        c += cost(n);
      }
    }
    return c;
  }
}
