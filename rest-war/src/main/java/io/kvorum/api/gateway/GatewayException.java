package io.kvorum.api.gateway;

import io.grpc.Status;

/** A gateway request that fails with a gRPC status, rendered by {@link GatewayError}. */
public final class GatewayException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Status status;

  /**
   * @param status the gRPC status; its description becomes the JSON error message
   */
  public GatewayException(Status status) {
    super(status.getDescription(), status.getCause());
    this.status = status;
  }

  /** The gRPC status this error carries. */
  public Status status() {
    return status;
  }
}
