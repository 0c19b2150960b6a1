package io.kvorum.api.http;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The JAX-RS application at the client URL's root, where etcd serves its HTTP endpoints. */
@ApplicationPath("/")
public class KvorumApplication extends Application {
  /**
   * Jersey buffers the first 8 KiB of every response to compute its Content-Length, and its {@code
   * flush()} does nothing until the buffer is committed: a gateway stream (a watch's {@code
   * {"result":...}} lines) would reach the client only 8 KiB at a time. Off: responses without a
   * Content-Length of their own are chunked, and flushes reach the client at once.
   */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of("jersey.config.server.contentLength.buffer", 0);
  }
}
