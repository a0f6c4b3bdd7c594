package dev.meshlens.query.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;

/** A small synchronous wrapper over the Vert.x web client for tests (called from the JUnit thread). */
public final class HttpTestSupport {
    private final WebClient client;
    private final int port;

    public HttpTestSupport(Vertx vertx, int port) {
        this.client = WebClient.create(
                vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
        this.port = port;
    }

    public int port() {
        return port;
    }

    public HttpResponse<Buffer> get(String uri, String token) {
        HttpRequest<Buffer> r = client.get(uri);
        if (token != null) {
            r.bearerTokenAuthentication(token);
        }
        try {
            return r.send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        }
    }

    public HttpResponse<Buffer> post(String uri, String token, String body) {
        HttpRequest<Buffer> r = client.post(uri).putHeader("content-type", "application/json");
        if (token != null) {
            r.bearerTokenAuthentication(token);
        }
        try {
            return r.sendBuffer(Buffer.buffer(body))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("POST " + uri + " failed: " + e, e);
        }
    }

    public JsonObject json(String uri, String token, int expectedStatus) {
        HttpResponse<Buffer> r = get(uri, token);
        if (r.statusCode() != expectedStatus) {
            throw new AssertionError("GET " + uri + ": expected " + expectedStatus + " but got " + r.statusCode() + ": "
                    + r.bodyAsString());
        }
        return r.bodyAsJsonObject();
    }

    public void close() {
        client.close();
    }
}
