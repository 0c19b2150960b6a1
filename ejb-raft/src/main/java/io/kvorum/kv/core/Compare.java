package io.kvorum.kv.core;

/**
 * etcdserverpb.Compare. The proto's target_union is {@code targetNumber} for VERSION, CREATE, MOD
 * and LEASE, {@code targetValue} for VALUE. A non-empty {@code rangeEnd} compares every key in the
 * range.
 */
public record Compare(
    CompareResult result,
    CompareTarget target,
    byte[] key,
    byte[] rangeEnd,
    long targetNumber,
    byte[] targetValue) {
  public enum CompareResult {
    EQUAL,
    GREATER,
    LESS,
    NOT_EQUAL
  }

  public enum CompareTarget {
    VERSION,
    CREATE,
    MOD,
    VALUE,
    LEASE
  }

  public Compare {
    key = key == null ? Bytes.EMPTY : key;
    rangeEnd = rangeEnd == null ? Bytes.EMPTY : rangeEnd;
    targetValue = targetValue == null ? Bytes.EMPTY : targetValue;
  }

  public static Compare number(String key, CompareTarget t, CompareResult r, long n) {
    return new Compare(r, t, Bytes.of(key), null, n, null);
  }

  public static Compare value(String key, CompareResult r, String v) {
    return new Compare(r, CompareTarget.VALUE, Bytes.of(key), null, 0, Bytes.of(v));
  }
}
