package dev.meshlens.query.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One request of a command-line tool ({@code ./meshlens fix}, {@code what-if --api}) to the query API: the JSON
 * answer, or a {@link Failure} carrying the message to print and the exit code. Errors are the API's
 * problem+json {@code detail} when it sent one.
 */
public final class ApiCall {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiCall() {}

    /** Why a call gave no answer; {@link #exitCode()} is 2 for what the user asked wrongly (400, 404), else 1. */
    public static final class Failure extends Exception {
        private final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** {@code api} (a base URL, with or without a trailing slash) joined with {@code path} ("/api/v1/…"). */
    public static String url(String api, String path) {
        return (api.endsWith("/") ? api.substring(0, api.length() - 1) : api) + path;
    }

    public static JsonNode get(String url, String token) throws Failure {
        return send(url, token, HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public static JsonNode post(String url, String token, String jsonBody) throws Failure {
        return send(
                url,
                token,
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    private static JsonNode send(String url, String token, HttpRequest.Builder request) throws Failure {
        HttpResponse<String> r;
        try {
            HttpRequest req = request.timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token)
                    .build();
            r = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build()
                    .send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure(1, "cannot reach " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(1, "interrupted while waiting for " + url);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new Failure(1, url + " answered " + r.statusCode() + " with something that is not JSON");
        }
        if (r.statusCode() != 200) {
            throw new Failure(
                    r.statusCode() == 400 || r.statusCode() == 404 ? 2 : 1,
                    url + " answered " + r.statusCode() + ": "
                            + answer.path("detail").asText(r.body()));
        }
        return answer;
    }
}
