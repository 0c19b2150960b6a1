package io.kvorum.api.gateway;

import io.grpc.Status;

/**
 * An error as etcd 3.4's JSON gateway returns it: {@code
 * {"error":message,"message":message,"code":grpcCode}} with an HTTP status derived from the gRPC
 * code (grpc-gateway v1's table, which etcd 3.4 vendors).
 *
 * <p>Seen on etcd 3.4.23 (GatewayJsonTest): InvalidArgument and OutOfRange 400, Unauthenticated
 * 401, PermissionDenied 403, NotFound 404, FailedPrecondition 412. The rest follow the same table
 * and were not provoked: Canceled 408, AlreadyExists and Aborted 409, ResourceExhausted 429,
 * Unknown, Internal and DataLoss 500, Unimplemented 501, Unavailable 503, DeadlineExceeded 504.
 *
 * @param httpStatus the HTTP status line's code
 * @param code the gRPC status code number
 * @param message the gRPC status message, e.g. "etcdserver: key is not provided"
 */
public record GatewayError(int httpStatus, int code, String message) {

  /** The gateway's rendering of a failed gRPC call. */
  public static GatewayError of(Status status) {
    String message = status.getDescription() == null ? "" : status.getDescription();
    return new GatewayError(httpStatus(status.getCode()), status.getCode().value(), message);
  }

  /** The gateway's rendering of {@code e}'s status. */
  public static GatewayError of(GatewayException e) {
    return of(e.status());
  }

  /** grpc-gateway v1's {@code HTTPStatusFromCode}. */
  public static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 408;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case UNAUTHENTICATED -> 401;
      case RESOURCE_EXHAUSTED -> 429;
      case FAILED_PRECONDITION -> 412;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
    };
  }

  /** Go's {@code http.StatusText} for the statuses {@link #httpStatus} returns. */
  public static String statusText(int httpStatus) {
    return switch (httpStatus) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 429 -> "Too Many Requests";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Internal Server Error";
    };
  }

  /**
   * The response body, e.g. {@code {"error":"etcdserver: ...","message":"etcdserver:
   * ...","code":3}}.
   */
  public String toJson() {
    StringBuilder out = new StringBuilder(64 + 2 * message.length()).append("{\"error\":");
    GatewayJson.writeString(out, message);
    out.append(",\"message\":");
    GatewayJson.writeString(out, message);
    return out.append(",\"code\":").append(code).append('}').toString();
  }
}
