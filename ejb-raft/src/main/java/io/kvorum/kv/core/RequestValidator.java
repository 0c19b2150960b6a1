package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The checks etcd makes before proposing (etcdserver/api/v3rpc/key.go and the request size limit):
 * the API layer calls {@link #validate} and answers the client with the error instead of proposing.
 * Stateless and thread-safe.
 */
public final class RequestValidator {
  private final KvConfig config;

  public RequestValidator(KvConfig config) {
    this.config = config;
  }

  /**
   * Validates a request the way etcd does before proposing it.
   *
   * @throws KvException INVALID_ARGUMENT with etcd's message (empty key, value/lease provided with
   *     ignore_value/ignore_lease, too many txn ops, duplicate key in txn, request too large) or
   *     OUT_OF_RANGE for a lease TTL above etcd's maximum
   */
  public void validate(KvRequest r) {
    if (r instanceof RangeRequest q) {
      checkRange(q);
    } else if (r instanceof PutRequest p) {
      checkPut(p);
    } else if (r instanceof DeleteRangeRequest d) {
      checkDelete(d);
    } else if (r instanceof TxnRequest t) {
      checkTxn(t, config.maxTxnOps());
      checkIntervals(t.success());
      checkIntervals(t.failure());
    } else if (r instanceof LeaseGrantRequest g && g.ttl() > KvConfig.MAX_LEASE_TTL) {
      throw KvException.leaseTtlTooLarge();
    }
    if (RequestCodec.encodedSize(r) > config.maxRequestBytes()) {
      throw KvException.requestTooLarge();
    }
  }

  private static void checkRange(RangeRequest r) {
    if (r.key().length == 0) {
      throw KvException.emptyKey();
    }
  }

  private static void checkPut(PutRequest p) {
    if (p.key().length == 0) {
      throw KvException.emptyKey();
    }
    if (p.ignoreValue() && p.value().length != 0) {
      throw KvException.valueProvided();
    }
    if (p.ignoreLease() && p.lease() != 0) {
      throw KvException.leaseProvided();
    }
  }

  private static void checkDelete(DeleteRangeRequest d) {
    if (d.key().length == 0) {
      throw KvException.emptyKey();
    }
  }

  /**
   * etcd's checkTxnRequest: a nested txn gets what its parent leaves of the limit ({@code maxOps}
   * minus the parent's largest of compares, success and failure ops; checked against etcd 3.4.23).
   */
  private static void checkTxn(TxnRequest t, int maxOps) {
    int ops = Math.max(t.compare().size(), Math.max(t.success().size(), t.failure().size()));
    if (ops > maxOps) {
      throw KvException.tooManyOps();
    }
    for (Compare c : t.compare()) {
      if (c.key().length == 0) {
        throw KvException.emptyKey();
      }
    }
    for (RequestOp op : t.success()) {
      checkOp(op, maxOps - ops);
    }
    for (RequestOp op : t.failure()) {
      checkOp(op, maxOps - ops);
    }
  }

  private static void checkOp(RequestOp op, int maxOps) {
    if (op instanceof RangeRequest r) {
      checkRange(r);
    } else if (op instanceof PutRequest p) {
      checkPut(p);
    } else if (op instanceof DeleteRangeRequest d) {
      checkDelete(d);
    } else if (op instanceof TxnRequest t) {
      checkTxn(t, maxOps);
    }
  }

  /** Puts and deletes of one branch, collected for the overlap rule. */
  private record Writes(TreeSet<byte[]> puts, List<byte[][]> deletes) {}

  /**
   * etcd's checkIntervals: within a branch no key may be put twice or put inside a deleted range;
   * the success and failure branches of a nested txn may put the same key (only one runs).
   */
  private static Writes checkIntervals(List<RequestOp> ops) {
    List<byte[][]> dels = new ArrayList<>();
    for (RequestOp op : ops) {
      if (op instanceof DeleteRangeRequest d) {
        // etcd builds the interval [key, range_end) from the raw bytes, so a from-key delete
        // (range_end "\0") overlaps no put: checked against etcd 3.4.23, which accepts it.
        dels.add(new byte[][] {d.key(), d.rangeEnd().length == 0 ? null : d.rangeEnd()});
      }
    }
    TreeSet<byte[]> puts = new TreeSet<>(Bytes::compare);
    for (RequestOp op : ops) {
      if (op instanceof TxnRequest t) {
        Writes then = checkIntervals(t.success());
        Writes otherwise = checkIntervals(t.failure());
        for (byte[] k : then.puts()) {
          if (puts.contains(k) || intersects(dels, k)) {
            throw KvException.duplicateKey();
          }
          puts.add(k);
        }
        for (byte[] k : otherwise.puts()) {
          if ((puts.contains(k) && !then.puts().contains(k)) || intersects(dels, k)) {
            throw KvException.duplicateKey();
          }
          puts.add(k);
        }
        dels.addAll(then.deletes());
        dels.addAll(otherwise.deletes());
      }
    }
    for (RequestOp op : ops) {
      if (op instanceof PutRequest p) {
        if (puts.contains(p.key()) || intersects(dels, p.key())) {
          throw KvException.duplicateKey();
        }
        puts.add(p.key());
      }
    }
    return new Writes(puts, dels);
  }

  private static boolean intersects(List<byte[][]> dels, byte[] k) {
    for (byte[][] d : dels) {
      byte[] start = d[0];
      byte[] end = d[1];
      boolean in =
          end == null
              ? Bytes.compare(k, start) == 0
              : Bytes.compare(k, start) >= 0 && Bytes.compare(k, end) < 0;
      if (in) {
        return true;
      }
    }
    return false;
  }
}
