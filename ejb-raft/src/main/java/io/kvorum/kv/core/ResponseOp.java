package io.kvorum.kv.core;

/** etcdserverpb.ResponseOp: the response of one txn operation, in the order of the ops. */
public sealed interface ResponseOp
    permits RangeResponse, PutResponse, DeleteRangeResponse, TxnResponse {}
