package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The Raft log payload of a {@link KvRequest}: a version byte, a type tag and the fields in
 * declaration order (enums as their etcd ordinals). Deterministic: equal requests give equal bytes.
 * Stateless and thread-safe.
 */
public final class RequestCodec {
  private static final int VERSION = 1;
  private static final int RANGE = 1;
  private static final int PUT = 2;
  private static final int DELETE = 3;
  private static final int TXN = 4;
  private static final int COMPACTION = 5;
  private static final int LEASE_GRANT = 6;
  private static final int LEASE_REVOKE = 7;
  private static final int LEASE_CHECKPOINT = 8;
  private static final int ALARM = 9;
  private static final int LEASE_KEEP_ALIVE = 10;

  private RequestCodec() {}

  /** Encodes a request for a Raft log entry. */
  public static byte[] encode(KvRequest r) {
    Wire.Writer w = new Wire.Writer().u8(VERSION);
    write(w, r);
    return w.toByteArray();
  }

  /** The size of {@link #encode}'s output. */
  public static int encodedSize(KvRequest r) {
    Wire.Writer w = new Wire.Writer().u8(VERSION);
    write(w, r);
    return w.length();
  }

  /**
   * Decodes a log entry payload.
   *
   * @throws IllegalArgumentException if the bytes are not an encoded request
   */
  public static KvRequest decode(byte[] data) {
    Wire.Reader in = new Wire.Reader(data);
    int v = in.u8();
    if (v != VERSION) {
      throw new IllegalArgumentException("unknown request encoding version " + v);
    }
    KvRequest r = read(in);
    if (!in.atEnd()) {
      throw new IllegalArgumentException("trailing bytes after request");
    }
    return r;
  }

  private static void write(Wire.Writer w, Object r) {
    if (r instanceof RangeRequest q) {
      w.u8(RANGE).bytes(q.key()).bytes(q.rangeEnd()).varint(q.limit()).varint(q.revision());
      w.u8(q.sortOrder().ordinal()).u8(q.sortTarget().ordinal());
      w.bool(q.serializable()).bool(q.keysOnly()).bool(q.countOnly());
      w.varint(q.minModRevision()).varint(q.maxModRevision());
      w.varint(q.minCreateRevision()).varint(q.maxCreateRevision());
    } else if (r instanceof PutRequest p) {
      w.u8(PUT).bytes(p.key()).bytes(p.value()).varint(p.lease());
      w.bool(p.prevKv()).bool(p.ignoreValue()).bool(p.ignoreLease());
    } else if (r instanceof DeleteRangeRequest d) {
      w.u8(DELETE).bytes(d.key()).bytes(d.rangeEnd()).bool(d.prevKv());
    } else if (r instanceof TxnRequest t) {
      w.u8(TXN).uvarint(t.compare().size());
      for (Compare c : t.compare()) {
        w.u8(c.result().ordinal()).u8(c.target().ordinal()).bytes(c.key()).bytes(c.rangeEnd());
        w.varint(c.targetNumber()).bytes(c.targetValue());
      }
      writeOps(w, t.success());
      writeOps(w, t.failure());
    } else if (r instanceof CompactionRequest c) {
      w.u8(COMPACTION).varint(c.revision()).bool(c.physical());
    } else if (r instanceof LeaseGrantRequest g) {
      w.u8(LEASE_GRANT).varint(g.ttl()).varint(g.id());
    } else if (r instanceof LeaseRevokeRequest v) {
      w.u8(LEASE_REVOKE).varint(v.id());
    } else if (r instanceof LeaseCheckpointRequest c) {
      w.u8(LEASE_CHECKPOINT).uvarint(c.checkpoints().size());
      for (LeaseCheckpointRequest.LeaseCheckpoint cp : c.checkpoints()) {
        w.varint(cp.id()).varint(cp.remainingTtl());
      }
    } else if (r instanceof LeaseKeepAliveRequest k) {
      w.u8(LEASE_KEEP_ALIVE).varint(k.id());
    } else if (r instanceof AlarmRequest a) {
      w.u8(ALARM).u8(a.action().ordinal()).varint(a.memberId()).u8(a.alarm().ordinal());
    } else {
      throw new IllegalArgumentException("cannot encode " + r);
    }
  }

  private static void writeOps(Wire.Writer w, List<RequestOp> ops) {
    w.uvarint(ops.size());
    for (RequestOp op : ops) {
      write(w, op);
    }
  }

  private static KvRequest read(Wire.Reader in) {
    int tag = in.u8();
    switch (tag) {
      case RANGE:
        return new RangeRequest(
            in.bytes(),
            in.bytes(),
            in.varint(),
            in.varint(),
            in.enumOf(RangeRequest.SortOrder.values()),
            in.enumOf(RangeRequest.SortTarget.values()),
            in.bool(),
            in.bool(),
            in.bool(),
            in.varint(),
            in.varint(),
            in.varint(),
            in.varint());
      case PUT:
        return new PutRequest(in.bytes(), in.bytes(), in.varint(), in.bool(), in.bool(), in.bool());
      case DELETE:
        return new DeleteRangeRequest(in.bytes(), in.bytes(), in.bool());
      case TXN:
        {
          int n = in.length();
          List<Compare> cmps = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            cmps.add(
                new Compare(
                    in.enumOf(Compare.CompareResult.values()),
                    in.enumOf(Compare.CompareTarget.values()),
                    in.bytes(),
                    in.bytes(),
                    in.varint(),
                    in.bytes()));
          }
          List<RequestOp> success = readOps(in);
          return new TxnRequest(cmps, success, readOps(in));
        }
      case COMPACTION:
        return new CompactionRequest(in.varint(), in.bool());
      case LEASE_GRANT:
        return new LeaseGrantRequest(in.varint(), in.varint());
      case LEASE_REVOKE:
        return new LeaseRevokeRequest(in.varint());
      case LEASE_CHECKPOINT:
        {
          int n = in.length();
          List<LeaseCheckpointRequest.LeaseCheckpoint> cps = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            cps.add(new LeaseCheckpointRequest.LeaseCheckpoint(in.varint(), in.varint()));
          }
          return new LeaseCheckpointRequest(cps);
        }
      case LEASE_KEEP_ALIVE:
        return new LeaseKeepAliveRequest(in.varint());
      case ALARM:
        return new AlarmRequest(
            in.enumOf(AlarmRequest.AlarmAction.values()),
            in.varint(),
            in.enumOf(AlarmRequest.AlarmType.values()));
      default:
        throw new IllegalArgumentException("unknown request tag " + tag);
    }
  }

  private static List<RequestOp> readOps(Wire.Reader in) {
    int n = in.length();
    List<RequestOp> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      KvRequest r = read(in);
      if (!(r instanceof RequestOp op)) {
        throw new IllegalArgumentException("not a txn op: " + r);
      }
      ops.add(op);
    }
    return ops;
  }
}
