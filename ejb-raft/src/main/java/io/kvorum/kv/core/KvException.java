package io.kvorum.kv.core;

/**
 * An etcd error: the gRPC status code name etcd uses ({@code INVALID_ARGUMENT}, {@code
 * OUT_OF_RANGE}, ...) and etcd's exact message. Validation errors are thrown before proposing;
 * apply-time errors are returned as the result of applying an entry, identically on every member.
 */
public final class KvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** gRPC status code names used by etcd 3.4. */
  public enum Code {
    INVALID_ARGUMENT,
    OUT_OF_RANGE,
    NOT_FOUND,
    FAILED_PRECONDITION,
    RESOURCE_EXHAUSTED,
    DATA_LOSS,
    UNAVAILABLE
  }

  private final Code code;

  public KvException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static KvException compacted() {
    return new KvException(
        Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
  }

  public static KvException futureRevision() {
    return new KvException(
        Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
  }

  public static KvException emptyKey() {
    return new KvException(Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
  }

  public static KvException keyNotFound() {
    return new KvException(Code.INVALID_ARGUMENT, "etcdserver: key not found");
  }

  public static KvException valueProvided() {
    return new KvException(Code.INVALID_ARGUMENT, "etcdserver: value is provided");
  }

  public static KvException leaseProvided() {
    return new KvException(Code.INVALID_ARGUMENT, "etcdserver: lease is provided");
  }

  public static KvException tooManyOps() {
    return new KvException(Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request");
  }

  public static KvException duplicateKey() {
    return new KvException(Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
  }

  public static KvException requestTooLarge() {
    return new KvException(Code.INVALID_ARGUMENT, "etcdserver: request is too large");
  }

  public static KvException leaseNotFound() {
    return new KvException(Code.NOT_FOUND, "etcdserver: requested lease not found");
  }

  public static KvException leaseExists() {
    return new KvException(Code.FAILED_PRECONDITION, "etcdserver: lease already exists");
  }

  public static KvException leaseTtlTooLarge() {
    return new KvException(Code.OUT_OF_RANGE, "etcdserver: too large lease TTL");
  }

  public static KvException noSpace() {
    return new KvException(Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded");
  }

  @Override
  public String toString() {
    return code + ": " + getMessage();
  }
}
