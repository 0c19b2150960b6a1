package io.kvorum.persistence.kv;

import java.io.Serializable;
import java.util.Objects;

/** The primary key of {@link KvRevisionEntity}: (main revision, sub revision). */
public class KvRevisionId implements Serializable {
  private static final long serialVersionUID = 1L;

  private long mainRev;
  private int subRev;

  public KvRevisionId() {}

  public KvRevisionId(long mainRev, int subRev) {
    this.mainRev = mainRev;
    this.subRev = subRev;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvRevisionId k && k.mainRev == mainRev && k.subRev == subRev;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mainRev, subRev);
  }
}
