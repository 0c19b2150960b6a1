package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A seeded generator of every kind of request, valid or not, for determinism and codec tests. */
final class RandomRequests {
  private final Random rnd;
  private long revisionHint = 1;

  RandomRequests(long seed) {
    rnd = new Random(seed);
  }

  void revisionHint(long rev) {
    revisionHint = rev;
  }

  private byte[] key() {
    return Bytes.of("k" + rnd.nextInt(60));
  }

  private byte[] value() {
    byte[] v = new byte[rnd.nextInt(20)];
    rnd.nextBytes(v);
    return v;
  }

  private byte[] end(byte[] key) {
    return switch (rnd.nextInt(4)) {
      case 0 -> Bytes.prefixEnd(key);
      case 1 -> new byte[] {0};
      default -> Bytes.of("k" + rnd.nextInt(60));
    };
  }

  KvRequest next() {
    int r = rnd.nextInt(100);
    if (r < 40) {
      return put();
    } else if (r < 50) {
      return delete();
    } else if (r < 75) {
      return txn(0);
    } else if (r < 82) {
      return range();
    } else if (r < 86) {
      return new LeaseGrantRequest(rnd.nextInt(100), rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(5));
    } else if (r < 89) {
      return new LeaseRevokeRequest(1 + rnd.nextInt(5));
    } else if (r < 91) {
      return new LeaseCheckpointRequest(
          List.of(new LeaseCheckpointRequest.LeaseCheckpoint(1 + rnd.nextInt(5), rnd.nextInt(50))));
    } else if (r < 93) {
      return new CompactionRequest(Math.max(1, revisionHint - rnd.nextInt(50)), true);
    } else if (r < 95) {
      // NOSPACE blocks writes until disarmed: disarm more often than arm.
      int a = rnd.nextInt(4);
      return new AlarmRequest(
          a == 0
              ? AlarmRequest.AlarmAction.ACTIVATE
              : a == 1 ? AlarmRequest.AlarmAction.GET : AlarmRequest.AlarmAction.DEACTIVATE,
          0,
          AlarmRequest.AlarmType.NOSPACE);
    }
    return put();
  }

  private PutRequest put() {
    boolean ignoreValue = rnd.nextInt(10) == 0;
    return new PutRequest(
        key(),
        ignoreValue ? null : value(),
        rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(5) : 0,
        rnd.nextBoolean(),
        ignoreValue,
        rnd.nextInt(15) == 0);
  }

  private DeleteRangeRequest delete() {
    byte[] k = key();
    return new DeleteRangeRequest(k, rnd.nextBoolean() ? null : end(k), rnd.nextBoolean());
  }

  private RangeRequest range() {
    byte[] k = key();
    return new RangeRequest(
        k,
        rnd.nextBoolean() ? null : end(k),
        rnd.nextInt(5),
        rnd.nextInt(3) == 0 ? Math.max(0, revisionHint - rnd.nextInt(80)) : 0,
        RangeRequest.SortOrder.values()[rnd.nextInt(3)],
        RangeRequest.SortTarget.values()[rnd.nextInt(5)],
        rnd.nextBoolean(),
        rnd.nextBoolean(),
        rnd.nextInt(5) == 0,
        rnd.nextInt(4) == 0 ? rnd.nextInt((int) Math.max(1, revisionHint)) : 0,
        rnd.nextInt(4) == 0 ? rnd.nextInt((int) Math.max(1, revisionHint)) : 0,
        rnd.nextInt(4) == 0 ? rnd.nextInt((int) Math.max(1, revisionHint)) : 0,
        rnd.nextInt(4) == 0 ? rnd.nextInt((int) Math.max(1, revisionHint)) : 0);
  }

  private TxnRequest txn(int depth) {
    List<Compare> cmps = new ArrayList<>();
    for (int i = rnd.nextInt(3); i > 0; i--) {
      byte[] k = key();
      cmps.add(
          new Compare(
              Compare.CompareResult.values()[rnd.nextInt(4)],
              Compare.CompareTarget.values()[rnd.nextInt(5)],
              k,
              rnd.nextInt(4) == 0 ? end(k) : null,
              rnd.nextInt((int) Math.max(1, revisionHint)),
              value()));
    }
    return new TxnRequest(cmps, ops(depth), ops(depth));
  }

  private List<RequestOp> ops(int depth) {
    List<RequestOp> ops = new ArrayList<>();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      int r = rnd.nextInt(10);
      ops.add(r < 4 ? put() : r < 6 ? delete() : r < 9 || depth >= 2 ? range() : txn(depth + 1));
    }
    return ops;
  }
}
