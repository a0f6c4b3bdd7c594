package dev.meshlens.query.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;

/**
 * The read side's Elasticsearch client: queries as plain query-DSL JSON ({@link QueryDsl}) over the
 * low-level async REST client: non-blocking (the future completes on the client's I/O thread), the
 * same on 8.19 and 9.x, and the DSL reads exactly like the Elasticsearch documentation.
 */
public final class QueryClient {
    private static final ObjectMapper M = new ObjectMapper();
    private final RestClient rest;

    public QueryClient(RestClient rest) {
        this.rest = rest;
    }

    /** Elasticsearch could not be reached, or answered 5xx. */
    public static final class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Elasticsearch answered with a 4xx status. */
    public static final class RequestException extends RuntimeException {
        private final int status;

        public RequestException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public CompletableFuture<JsonNode> search(String index, JsonNode body) {
        return search(index, body, null);
    }

    /**
     * A search whose response Elasticsearch trims to {@code filterPath} (its {@code filter_path}
     * parameter, e.g. {@code hits.total,hits.hits._source}), so neither side spends time on the
     * {@code _index}, {@code _score}, {@code _shards}... that the caller drops anyway. Null: no trimming.
     */
    public CompletableFuture<JsonNode> search(String index, JsonNode body, String filterPath) {
        String trim = filterPath == null ? "" : "&filter_path=" + urlEncode(filterPath);
        return request(
                "POST",
                "/" + index + "/_search?ignore_unavailable=true&allow_no_indices=true" + trim,
                body.toString(),
                false);
    }

    /** A {@code _msearch}: one header+body pair per search, the answer's {@code responses} in order. */
    public CompletableFuture<JsonNode> msearch(String index, List<? extends JsonNode> bodies) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : bodies) {
            sb.append("{\"index\":\"")
                    .append(index)
                    .append("\",\"ignore_unavailable\":true,\"allow_no_indices\":true}\n");
            sb.append(b.toString()).append('\n');
        }
        return request("POST", "/_msearch", sb.toString(), false);
    }

    /** GET a document; completes with null when the document or index does not exist. */
    public CompletableFuture<JsonNode> get(String index, String id) {
        return request("GET", "/" + index + "/_doc/" + urlEncode(id), null, true);
    }

    public CompletableFuture<JsonNode> request(String method, String endpoint, String body, boolean notFoundIsNull) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        Request req = new Request(method, endpoint);
        if (body != null) {
            req.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
        }
        rest.performRequestAsync(req, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                try (InputStream in = response.getEntity().getContent()) {
                    f.complete(M.readTree(in));
                } catch (IOException e) {
                    f.completeExceptionally(
                            new UnavailableException("unreadable Elasticsearch response: " + e.getMessage(), e));
                }
            }

            @Override
            public void onFailure(Exception e) {
                if (e instanceof ResponseException re) {
                    int status = re.getResponse().getStatusLine().getStatusCode();
                    if (status == 404 && notFoundIsNull) {
                        f.complete(null);
                    } else if (status >= 500 || status == 429) {
                        f.completeExceptionally(new UnavailableException("Elasticsearch answered " + status, e));
                    } else {
                        f.completeExceptionally(new RequestException(
                                status,
                                "Elasticsearch rejected the query (" + status + "): " + firstLine(e.getMessage())));
                    }
                } else {
                    String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
                    f.completeExceptionally(new UnavailableException("Elasticsearch is unavailable: " + why, e));
                }
            }
        });
        return f;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, Math.min(nl, 500));
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static ObjectMapper mapper() {
        return M;
    }
}
