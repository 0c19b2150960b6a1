package io.kvorum.api.front;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Drops the one warning grpc-netty causes on every gRPC connection through the in-JVM hop.
 *
 * <p>grpc-netty's server sets {@code SO_KEEPALIVE} on every accepted child channel. The front's hop
 * to it is a Netty {@code LocalChannel}, which has no sockets and so no such option, and Netty's
 * {@code ServerBootstrap} logs "Unknown channel option 'SO_KEEPALIVE' ... LocalChannel" at WARNING
 * for each connection: one line per etcdctl command. TCP keepalive for the real client socket is
 * unaffected (and gRPC's own keepalive pings still run). Every other message of that logger passes.
 * This only works when shaded Netty logs through java.util.logging, its default when no SLF4J or
 * Log4j is visible, as in Payara's application class loader.
 */
final class LocalHopLogFilter implements Filter {

  /** Shaded Netty's logger for server bootstraps, held so the filter is not collected with it. */
  private static final Logger BOOTSTRAP_LOGGER =
      Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap");

  private final Filter next;

  private LocalHopLogFilter(Filter next) {
    this.next = next;
  }

  /** Installs the filter once, in front of any filter already set. */
  static synchronized void install() {
    Filter current = BOOTSTRAP_LOGGER.getFilter();
    if (!(current instanceof LocalHopLogFilter)) {
      BOOTSTRAP_LOGGER.setFilter(new LocalHopLogFilter(current));
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (isKeepAliveOnLocalChannel(record)) {
      return false;
    }
    return next == null || next.isLoggable(record);
  }

  private static boolean isKeepAliveOnLocalChannel(LogRecord record) {
    String message = record.getMessage();
    if (message == null || !message.startsWith("Unknown channel option")) {
      return false;
    }
    Object[] parameters = record.getParameters();
    String text = message;
    if (parameters != null) {
      StringBuilder joined = new StringBuilder(message);
      for (Object parameter : parameters) {
        joined.append(' ').append(parameter);
      }
      text = joined.toString();
    }
    return text.contains("SO_KEEPALIVE") && text.contains("LocalChannel");
  }
}
