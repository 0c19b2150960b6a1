package io.kvorum.kv.core;

/**
 * A revision of the store: {@code main} is the store revision of a request, {@code sub} the index
 * of the change inside it (a txn writing three keys uses sub 0, 1 and 2 of one main revision).
 */
public record Revision(long main, int sub) implements Comparable<Revision> {
  @Override
  public int compareTo(Revision o) {
    int c = Long.compare(main, o.main);
    return c != 0 ? c : Integer.compare(sub, o.sub);
  }
}
