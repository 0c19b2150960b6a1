package io.kvorum.kv.core;

/** The response to an applied {@link KvRequest}; {@link #header()} carries the store revision. */
public sealed interface KvResponse
    permits RangeResponse,
        PutResponse,
        DeleteRangeResponse,
        TxnResponse,
        CompactionResponse,
        LeaseGrantResponse,
        LeaseRevokeResponse,
        LeaseCheckpointResponse,
        LeaseKeepAliveResponse,
        AlarmResponse {
  ResponseHeader header();
}
