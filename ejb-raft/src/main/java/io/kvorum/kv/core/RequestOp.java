package io.kvorum.kv.core;

/** etcdserverpb.RequestOp: one operation of a txn branch. */
public sealed interface RequestOp
    permits RangeRequest, PutRequest, DeleteRangeRequest, TxnRequest {}
