package io.kvorum.kv.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies one committed request to the store with etcd 3.4's rules (etcdserver/apply.go): every
 * check happens before the first change, so a failed request changes nothing except, for the quota,
 * raising the NOSPACE alarm.
 */
final class Applier {
  private final MvccStore store;

  Applier(MvccStore store) {
    this.store = store;
  }

  KvResponse apply(long raftIndex, KvRequest req) {
    if (req instanceof PutRequest p) {
      return put(p);
    } else if (req instanceof DeleteRangeRequest d) {
      WriteTxn t = new WriteTxn(store);
      DeleteRangeResponse r = deleteRange(t, d);
      t.end();
      return r;
    } else if (req instanceof TxnRequest t) {
      return new TxnApplier(store, this).txn(t);
    } else if (req instanceof RangeRequest r) {
      return store.rangeAt(r, store.currentRevision, store.currentRevision);
    } else if (req instanceof CompactionRequest c) {
      return compact(c);
    } else if (req instanceof LeaseGrantRequest g) {
      return leaseGrant(raftIndex, g);
    } else if (req instanceof LeaseRevokeRequest r) {
      return leaseRevoke(r);
    } else if (req instanceof LeaseCheckpointRequest c) {
      return leaseCheckpoint(c);
    } else if (req instanceof LeaseKeepAliveRequest k) {
      return new LeaseKeepAliveResponse(header(), k.id(), store.lessor.keepAliveApplied(k.id()));
    } else if (req instanceof AlarmRequest a) {
      return alarm(a);
    }
    throw new IllegalArgumentException("unknown request " + req);
  }

  private ResponseHeader header() {
    return ResponseHeader.ofRevision(store.currentRevision);
  }

  private PutResponse put(PutRequest p) {
    checkWritable(putCost(p));
    checkPut(p);
    WriteTxn t = new WriteTxn(store);
    PutResponse r = put(t, p);
    t.end();
    return r;
  }

  /**
   * A plain Put's checks (etcd's applierV3backend.Put): the lease must exist, then ignore_value /
   * ignore_lease need an existing key.
   */
  void checkPut(PutRequest p) {
    checkLease(p);
    checkIgnoredKeyExists(p);
  }

  /**
   * A Put inside a txn (etcd's checkPut over the txn path): the key is looked for before the lease,
   * so a missing key wins over an unknown lease (checked against etcd 3.4.23).
   */
  void checkTxnPut(PutRequest p) {
    checkIgnoredKeyExists(p);
    checkLease(p);
  }

  private void checkLease(PutRequest p) {
    if (!p.ignoreLease() && p.lease() != 0 && !store.lessor.exists(p.lease())) {
      throw KvException.leaseNotFound();
    }
  }

  private void checkIgnoredKeyExists(PutRequest p) {
    if ((p.ignoreValue() || p.ignoreLease()) && store.get(p.key(), store.currentRevision) == null) {
      throw KvException.keyNotFound();
    }
  }

  PutResponse put(WriteTxn t, PutRequest p) {
    KeyValue prev = null;
    if (p.ignoreValue() || p.ignoreLease() || p.prevKv()) {
      prev = store.get(p.key(), t.rev());
    }
    // prev is null only if an earlier op of the same txn deleted the key, which the duplicate-key
    // rule rejects before proposing (etcd panics there); stay total and deterministic anyway.
    byte[] value = p.ignoreValue() ? (prev == null ? Bytes.EMPTY : prev.value()) : p.value();
    long lease = p.ignoreLease() ? (prev == null ? 0 : prev.lease()) : p.lease();
    KeyValue kv = t.put(p.key(), value, lease);
    return new PutResponse(ResponseHeader.ofRevision(kv.modRevision()), p.prevKv() ? prev : null);
  }

  DeleteRangeResponse deleteRange(WriteTxn t, DeleteRangeRequest d) {
    List<KeyValue> prev = List.of();
    if (d.prevKv()) {
      prev = t.range(RangeRequest.of(d.key(), d.rangeEnd())).kvs();
    }
    long n = t.deleteRange(d.key(), KeyIndex.end(d.rangeEnd()));
    return new DeleteRangeResponse(ResponseHeader.ofRevision(t.rev()), n, prev);
  }

  static long putCost(PutRequest p) {
    return IndexEntry.sizeOf(p.key().length, p.value().length);
  }

  /**
   * etcd's capped applier and quota: a request that adds data ({@code cost > 0}: puts, txns with
   * puts) fails while NOSPACE is raised; one that would take the store over the quota raises
   * NOSPACE (deterministically, on every member) and fails. Deletes, reads and compaction pass.
   */
  void checkWritable(long cost) {
    if (cost <= 0) {
      return;
    }
    checkNoSpaceAlarm();
    if (store.dbSize + cost > store.config.effectiveQuota()) {
      store.alarms.add(new AlarmResponse.AlarmMember(0, AlarmRequest.AlarmType.NOSPACE));
      throw KvException.noSpace();
    }
  }

  private void checkNoSpaceAlarm() {
    for (AlarmResponse.AlarmMember a : store.alarms) {
      if (a.alarm() == AlarmRequest.AlarmType.NOSPACE) {
        throw KvException.noSpace();
      }
    }
  }

  private CompactionResponse compact(CompactionRequest c) {
    if (c.revision() <= store.compactRevision) {
      throw KvException.compacted();
    }
    if (c.revision() > store.currentRevision) {
      throw KvException.futureRevision();
    }
    store.compact(c.revision());
    return new CompactionResponse(header());
  }

  private LeaseGrantResponse leaseGrant(long raftIndex, LeaseGrantRequest g) {
    checkNoSpaceAlarm();
    if (g.ttl() > KvConfig.MAX_LEASE_TTL) {
      throw KvException.leaseTtlTooLarge();
    }
    long id = g.id() != 0 ? g.id() : store.lessor.generateId(raftIndex);
    if (store.lessor.exists(id)) {
      throw KvException.leaseExists();
    }
    LeaseRecord l = store.lessor.grant(id, g.ttl());
    store.saveLease(l);
    return new LeaseGrantResponse(header(), id, l.ttl(), "");
  }

  private LeaseRevokeResponse leaseRevoke(LeaseRevokeRequest r) {
    if (!store.lessor.exists(r.id())) {
      throw KvException.leaseNotFound();
    }
    WriteTxn t = new WriteTxn(store);
    for (byte[] key : store.lessor.keys(r.id())) {
      t.deleteRange(key, null);
    }
    t.end();
    store.lessor.revoke(r.id());
    store.deleteLease(r.id());
    return new LeaseRevokeResponse(header());
  }

  private LeaseCheckpointResponse leaseCheckpoint(LeaseCheckpointRequest c) {
    for (LeaseCheckpointRequest.LeaseCheckpoint cp : c.checkpoints()) {
      LeaseRecord l = store.lessor.checkpoint(cp.id(), cp.remainingTtl());
      if (l != null) {
        store.saveLease(l);
      }
    }
    return new LeaseCheckpointResponse(header());
  }

  private AlarmResponse alarm(AlarmRequest a) {
    List<AlarmResponse.AlarmMember> out = new ArrayList<>();
    AlarmResponse.AlarmMember m = new AlarmResponse.AlarmMember(a.memberId(), a.alarm());
    switch (a.action()) {
      case GET -> {
        for (AlarmResponse.AlarmMember x : store.alarms) {
          if (a.alarm() == AlarmRequest.AlarmType.NONE || x.alarm() == a.alarm()) {
            out.add(x);
          }
        }
      }
      case ACTIVATE -> {
        // etcd 3.4.23 answers the alarm even if it was already raised, and stores NONE too
        if (!store.alarms.contains(m)) {
          store.alarms.add(m);
        }
        out.add(m);
      }
      case DEACTIVATE -> {
        if (store.alarms.remove(m)) {
          out.add(m);
        }
      }
    }
    return new AlarmResponse(header(), out);
  }
}
