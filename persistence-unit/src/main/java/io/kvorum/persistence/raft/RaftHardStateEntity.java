package io.kvorum.persistence.raft;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The Raft hard state's single row (table {@code raft_hard_state}, id 1): term, vote and commit
 * index, written in the same transaction as the entries of the same Ready.
 */
@Entity
@Table(name = "raft_hard_state")
public class RaftHardStateEntity {
  public static final int ID = 1;

  @Id
  @Column(name = "id", nullable = false)
  private int id = ID;

  @Column(name = "term", nullable = false)
  private long term;

  @Column(name = "vote", nullable = false)
  private long vote;

  @Column(name = "commit_index", nullable = false)
  private long commitIndex;

  public long getTerm() {
    return term;
  }

  public long getVote() {
    return vote;
  }

  public long getCommitIndex() {
    return commitIndex;
  }

  /** Sets all three fields (they are only ever written together). */
  public void set(long term, long vote, long commitIndex) {
    this.term = term;
    this.vote = vote;
    this.commitIndex = commitIndex;
  }
}
