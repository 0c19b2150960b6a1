package io.kvorum.server;

/**
 * Where a member keeps its {@link MembershipState} durably (one small record, rewritten on each
 * applied membership change).
 */
public interface MemberStore {
  /** Returns the stored state, or null when none was ever saved (a fresh data-dir). */
  MembershipState load();

  /** Replaces the stored state; durable when this returns. */
  void save(MembershipState state);

  /** A store in memory, for tests and members whose state may be lost. */
  static MemberStore inMemory() {
    return new MemberStore() {
      private volatile MembershipState state;

      @Override
      public MembershipState load() {
        return state;
      }

      @Override
      public void save(MembershipState s) {
        state = s;
      }
    };
  }
}
