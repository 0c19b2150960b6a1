package io.kvorum.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvorum.kv.jpa.H2TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JpaMemberStoreTest {
  @Test
  void savedMembershipIsLoadedByANewStoreOnTheSameDatabase() {
    JpaMemberStore store = new JpaMemberStore(H2TestDatabase.transactions());
    MemberRecord a = new MemberRecord(-7, "a", List.of("http://h:1"), List.of("http://h:2"), false);
    MemberRecord b = new MemberRecord(9, "", List.of("http://h:3"), List.of(), true);
    MembershipState s1 = new MembershipState(0xabcL, -7, 12, Map.of(-7L, a), Set.of());
    store.save(s1);
    MembershipState s2 = new MembershipState(0xabcL, -7, 15, Map.of(-7L, a, 9L, b), Set.of(4L));
    store.save(s2);
    assertEquals(s2, new JpaMemberStore(H2TestDatabase.transactions()).load());
  }
}
