package io.kvorum.persistence.kv;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A lease (table {@code kv_lease}): granted TTL and last checkpointed remaining TTL, seconds. */
@Entity
@Table(name = "kv_lease")
public class KvLeaseEntity {
  @Id
  @Column(name = "id", nullable = false)
  private long id;

  @Column(name = "ttl", nullable = false)
  private long ttl;

  @Column(name = "remaining_ttl", nullable = false)
  private long remainingTtl;

  protected KvLeaseEntity() {}

  public KvLeaseEntity(long id, long ttl, long remainingTtl) {
    this.id = id;
    this.ttl = ttl;
    this.remainingTtl = remainingTtl;
  }

  public long getId() {
    return id;
  }

  public long getTtl() {
    return ttl;
  }

  public long getRemainingTtl() {
    return remainingTtl;
  }

  public void setRemainingTtl(long remainingTtl) {
    this.remainingTtl = remainingTtl;
  }
}
