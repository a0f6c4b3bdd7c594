package dev.meshlens.collector.otlp;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/** Sends one raw gRPC message (bytes a real client would never send) and returns the call's grpc-status. */
final class GrpcProbe {
  private GrpcProbe() {}

  static int unary(int port, String path, byte[] message) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
          .setHttp2ClearTextUpgrade(false));
      Buffer frame = Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
      return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
              .setURI(path).putHeader("content-type", "application/grpc").putHeader("te", "trailers"))
          .compose(req -> req.send(frame))
          .compose(resp -> resp.body().map(b -> {
            String status = resp.headers().get("grpc-status");
            if (status == null) {
              status = resp.trailers().get("grpc-status");
            }
            return Integer.parseInt(status);
          }))
          .await(20, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
