package io.kvorum.kv.core;

/**
 * etcdserverpb.RangeRequest. An empty {@code rangeEnd} means the single key {@code key}; {@code
 * "\0"} means every key &gt;= key. {@code revision} &lt;= 0 reads the current revision.
 */
public record RangeRequest(
    byte[] key,
    byte[] rangeEnd,
    long limit,
    long revision,
    SortOrder sortOrder,
    SortTarget sortTarget,
    boolean serializable,
    boolean keysOnly,
    boolean countOnly,
    long minModRevision,
    long maxModRevision,
    long minCreateRevision,
    long maxCreateRevision)
    implements KvRequest, RequestOp {
  public enum SortOrder {
    NONE,
    ASCEND,
    DESCEND
  }

  public enum SortTarget {
    KEY,
    VERSION,
    CREATE,
    MOD,
    VALUE
  }

  public RangeRequest {
    key = key == null ? Bytes.EMPTY : key;
    rangeEnd = rangeEnd == null ? Bytes.EMPTY : rangeEnd;
    sortOrder = sortOrder == null ? SortOrder.NONE : sortOrder;
    sortTarget = sortTarget == null ? SortTarget.KEY : sortTarget;
  }

  public static RangeRequest of(byte[] key, byte[] rangeEnd) {
    return new RangeRequest(key, rangeEnd, 0, 0, null, null, false, false, false, 0, 0, 0, 0);
  }

  public static RangeRequest of(String key) {
    return of(Bytes.of(key), null);
  }

  public static RangeRequest prefix(String prefix) {
    byte[] p = Bytes.of(prefix);
    return of(p, Bytes.prefixEnd(p));
  }

  public RangeRequest withLimit(long l) {
    return new RangeRequest(
        key,
        rangeEnd,
        l,
        revision,
        sortOrder,
        sortTarget,
        serializable,
        keysOnly,
        countOnly,
        minModRevision,
        maxModRevision,
        minCreateRevision,
        maxCreateRevision);
  }

  public RangeRequest withRevision(long r) {
    return new RangeRequest(
        key,
        rangeEnd,
        limit,
        r,
        sortOrder,
        sortTarget,
        serializable,
        keysOnly,
        countOnly,
        minModRevision,
        maxModRevision,
        minCreateRevision,
        maxCreateRevision);
  }

  public RangeRequest withSort(SortOrder o, SortTarget t) {
    return new RangeRequest(
        key,
        rangeEnd,
        limit,
        revision,
        o,
        t,
        serializable,
        keysOnly,
        countOnly,
        minModRevision,
        maxModRevision,
        minCreateRevision,
        maxCreateRevision);
  }

  public RangeRequest withKeysOnly(boolean k) {
    return new RangeRequest(
        key,
        rangeEnd,
        limit,
        revision,
        sortOrder,
        sortTarget,
        serializable,
        k,
        countOnly,
        minModRevision,
        maxModRevision,
        minCreateRevision,
        maxCreateRevision);
  }

  public RangeRequest withCountOnly(boolean c) {
    return new RangeRequest(
        key,
        rangeEnd,
        limit,
        revision,
        sortOrder,
        sortTarget,
        serializable,
        keysOnly,
        c,
        minModRevision,
        maxModRevision,
        minCreateRevision,
        maxCreateRevision);
  }

  /** Sets min/max mod and create revision filters (0 = no filter). */
  public RangeRequest withFilters(long minMod, long maxMod, long minCreate, long maxCreate) {
    return new RangeRequest(
        key,
        rangeEnd,
        limit,
        revision,
        sortOrder,
        sortTarget,
        serializable,
        keysOnly,
        countOnly,
        minMod,
        maxMod,
        minCreate,
        maxCreate);
  }
}
