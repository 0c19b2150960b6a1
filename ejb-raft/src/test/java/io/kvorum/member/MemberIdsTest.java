package io.kvorum.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden ids read from real etcd 3.4.23 clusters with `etcdctl member list -w json`. */
class MemberIdsTest {
  private static long id(String url, String token) {
    return MemberIds.memberId(List.of(URI.create(url)), token);
  }

  @Test
  void oneMemberClusterMatchesEtcd() {
    long member = id("http://127.0.0.1:13380", "tok-1");
    assertEquals("15827694174747588790", Long.toUnsignedString(member));
    assertEquals("dba743fe435978b6", MemberIds.hex(member));
    assertEquals(
        "2297379138754527383", Long.toUnsignedString(MemberIds.clusterId(List.of(member))));
  }

  @Test
  void threeMemberClusterMatchesEtcd() {
    long a = id("http://127.0.0.1:13380", "kvorum-local");
    long b = id("http://127.0.0.1:13480", "kvorum-local");
    long c = id("http://127.0.0.1:13580", "kvorum-local");
    assertEquals("4226162336553382799", Long.toUnsignedString(a));
    assertEquals("4467836640999085934", Long.toUnsignedString(b));
    assertEquals("10570517378598183349", Long.toUnsignedString(c));
    assertEquals(
        "17080867622847383938", Long.toUnsignedString(MemberIds.clusterId(List.of(c, a, b))));
  }

  @Test
  void theTokenSeparatesClusters() {
    assertNotEquals(
        id("http://127.0.0.1:2380", "etcd-cluster"), id("http://127.0.0.1:2380", "other"));
  }
}
