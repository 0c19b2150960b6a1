package io.kvorum.api.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenClientUrlsTest {

  @Test
  void parsesEveryUrlInOrderWithoutDuplicates() throws Exception {
    List<InetSocketAddress> addresses =
        ListenClientUrls.parse(
            "http://127.0.0.1:2379, http://0.0.0.0:22379,http://127.0.0.1:2379,http://[::1]:2379");

    assertEquals(
        List.of(
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 2379),
            new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 22379),
            new InetSocketAddress(InetAddress.getByName("::1"), 2379)),
        addresses);
  }

  @Test
  void acceptsLocalhostAsEtcdDoes() {
    InetSocketAddress address = ListenClientUrls.parse("http://localhost:2379").get(0);
    assertTrue(address.getAddress().isLoopbackAddress());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "https://127.0.0.1:2379",
        "unix://localhost:2379",
        "http://127.0.0.1",
        "http://etcd.example.com:2379",
        "http://300.1.1.1:2379",
        "127.0.0.1:2379"
      })
  void rejectsWhatEtcdCannotBindAndNamesTheKey(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ListenClientUrls.parse(value));
    assertTrue(e.getMessage().startsWith("listen-client-urls: "), e.getMessage());
  }
}
