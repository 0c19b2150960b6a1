package io.kvorum.kv.core;

/**
 * The outcome of applying one entry: a response, or the etcd error every member produced for it.
 * {@code skipped} is true when the entry was at or below the stored applied index (a re-apply after
 * a crash): it had been applied before and nothing changed.
 */
public record ApplyResult(long index, KvResponse response, KvException error, boolean skipped) {
  static ApplyResult ok(long index, KvResponse r) {
    return new ApplyResult(index, r, null, false);
  }

  static ApplyResult failed(long index, KvException e) {
    return new ApplyResult(index, null, e, false);
  }

  static ApplyResult skippedAt(long index) {
    return new ApplyResult(index, null, null, true);
  }

  /** The response, or throws the apply-time error. */
  public KvResponse orThrow() {
    if (error != null) {
      throw error;
    }
    return response;
  }
}
