package io.kvorum.api.gateway;

/**
 * A unary gateway answer: the HTTP status and the JSON body etcd's gateway writes.
 *
 * @param status the HTTP status code (200, or {@link GatewayError#httpStatus} of the gRPC code)
 * @param json the response message ({@link GatewayJson#print}) or the error ({@link
 *     GatewayError#toJson})
 */
public record GatewayReply(int status, String json) {
  static GatewayReply of(GatewayError e) {
    return new GatewayReply(e.httpStatus(), e.toJson());
  }
}
