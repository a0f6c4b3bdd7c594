package dev.meshlens.query.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.query.auth.Scope;
import dev.meshlens.query.auth.TokenAuthenticator;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.read.Diagnoser;
import dev.meshlens.query.read.ReadModel;
import dev.meshlens.query.read.ReadRefused;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.query.store.QueryDsl;
import dev.meshlens.query.trust.TrustJson;
import dev.meshlens.query.trust.TrustReader;
import dev.meshlens.query.trust.TrustService;
import dev.meshlens.query.trust.TrustSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API. Handlers are short: parse parameters, call the {@link ReadModel} / {@link Diagnoser}
 * (non-blocking Elasticsearch futures), respond. One failure handler turns every error into an
 * {@code application/problem+json} answer.
 */
public final class ApiVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
    static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEM_BASE = "https://meshlens.dev/problems/";
    private static final String SCOPE = "meshlens.scope";

    /** What the verticle needs. */
    public record Settings(String host, int port, ReadModel.InventorySettings inventory) {}

    private final ReadModel read;
    private final Diagnoser diagnoser;
    private final TrustService trust;
    private final dev.meshlens.query.fix.FixService fixes;
    private final TokenAuthenticator auth;
    private final MeshlensMetrics metrics;
    private final Supplier<String> ingestState;
    private final Settings settings;
    private final String openapi;
    private HttpServer server;
    private volatile int actualPort;

    public ApiVerticle(
            ReadModel read,
            TokenAuthenticator auth,
            MeshlensMetrics metrics,
            Supplier<String> ingestState,
            Settings settings) {
        this(
                read,
                new TrustService(
                        new TrustReader(read.es(), read.names(), TrustReader.Windows.defaults()),
                        TrustSettings.defaults(),
                        read.clock()),
                auth,
                metrics,
                ingestState,
                settings);
    }

    public ApiVerticle(
            ReadModel read,
            TrustService trust,
            TokenAuthenticator auth,
            MeshlensMetrics metrics,
            Supplier<String> ingestState,
            Settings settings) {
        this.read = Objects.requireNonNull(read, "read");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.diagnoser = new Diagnoser(read);
        this.auth = Objects.requireNonNull(auth, "auth");
        this.fixes = new dev.meshlens.query.fix.FixService(read, trust, auth::teamOf, read.clock());
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.ingestState = Objects.requireNonNull(ingestState, "ingestState");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.openapi = resource("openapi.yaml");
    }

    static String resource(String name) {
        try (InputStream in = ApiVerticle.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Future<?> start() {
        Router root = router();
        server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                // No h2c upgrade: Java's HttpClient asks for it by default, and a large compressed /metrics answer
                // on the upgraded connection came back as garbled HTTP/2 frames (DemoIT, once). Prometheus and
                // browsers speak HTTP/1.1 here; HTTP/2 belongs behind TLS at the ingress.
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(true));
        return server.requestHandler(root).listen().onSuccess(s -> {
            actualPort = s.actualPort();
            LOG.info("query-api HTTP listening on {}:{}", settings.host(), actualPort);
        });
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return actualPort;
    }

    /** All routes; public so a test can check each one is described in the OpenAPI document. */
    public Router router() {
        Router root = Router.router(vertx);
        root.route().handler(SecurityHeaders::apply);
        root.get("/healthz").handler(this::healthz);
        root.get("/readyz").handler(this::readyz);
        root.get("/metrics").handler(this::metrics);
        root.get("/openapi.yaml").handler(this::openapi);

        Router api = Router.router(vertx);
        api.route().handler(this::authenticate);
        api.get("/findings").handler(this::findings);
        api.get("/findings/:id").handler(this::finding);
        api.get("/findings/:id/fix").handler(this::findingFix);
        api.get("/diagnose").handler(this::diagnose);
        api.get("/events").handler(this::events);
        api.get("/meshes").handler(this::meshes);
        api.get("/trust").handler(this::trust);
        api.post("/trust/what-if")
                .handler(BodyHandler.create().setBodyLimit(WHAT_IF_BODY_LIMIT))
                .handler(this::whatIf);
        api.route().failureHandler(this::failure);
        root.route("/api/v1/*").subRouter(api);

        root.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        root.route().failureHandler(this::failure);
        root.errorHandler(
                404,
                ctx -> problem(
                        ctx,
                        new ApiException(
                                404,
                                "not-found",
                                "Not found",
                                "no route for " + ctx.request().method() + " "
                                        + ctx.request().path(),
                                null)));
        root.errorHandler(
                405,
                ctx -> problem(
                        ctx,
                        new ApiException(
                                405,
                                "method-not-allowed",
                                "Method not allowed",
                                ctx.request().method() + " is not allowed on "
                                        + ctx.request().path(),
                                null)));
        return root;
    }

    // ---- open routes ----

    private void healthz(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "application/json").end("{\"status\":\"UP\"}");
    }

    private void readyz(RoutingContext ctx) {
        String ingest = ingestState.get();
        io.vertx.core.Context vctx = vertx.getOrCreateContext();
        read.es().request("GET", "/_cluster/health?timeout=1s", null, false).handle((r, err) -> {
            String es = err == null ? "UP" : "DOWN";
            boolean up = err == null;
            ObjectNode o = QueryDsl.obj();
            o.put("status", up ? "UP" : "DOWN");
            ObjectNode checks = o.putObject("checks");
            checks.put("elasticsearch", es);
            checks.put("ingest", ingest);
            vctx.runOnContext(v -> ctx.response()
                    .setStatusCode(up ? 200 : 503)
                    .putHeader("content-type", "application/json")
                    .end(o.toString()));
            return null;
        });
    }

    private void metrics(RoutingContext ctx) {
        ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape());
    }

    private void openapi(RoutingContext ctx) {
        ctx.response()
                .putHeader("content-type", "application/yaml; charset=utf-8")
                .end(openapi);
    }

    // ---- /api/v1 ----

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"meshlens\"");
            ctx.fail(ApiException.unauthorized("missing bearer token: send 'Authorization: Bearer <token>'"));
            return;
        }
        Scope scope = auth.authenticate(header).orElse(null);
        if (scope == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"meshlens\", error=\"invalid_token\"");
            ctx.fail(ApiException.unauthorized("unknown bearer token"));
            return;
        }
        ctx.put(SCOPE, scope);
        ctx.next();
    }

    private static Scope scope(RoutingContext ctx) {
        return ctx.get(SCOPE);
    }

    private void findings(RoutingContext ctx) {
        Params.onlyKnown(ctx, Set.of("mesh", "category", "state", "since", "page", "size"));
        Instant now = read.clock().instant();
        var f = new ReadModel.FindingFilter(
                Params.multi(ctx, "mesh"),
                Params.categories(ctx),
                Params.state(ctx),
                Params.instant(ctx, "since", now, null),
                Params.integer(ctx, "page", 0, 0, 10_000),
                Params.integer(ctx, "size", 50, 1, 500));
        if ((long) f.page() * f.size() + f.size() > 10_000) {
            throw ApiException.badParameter("page", "page*size must stay below 10000; narrow the filters instead");
        }
        respondBytes(ctx, read.findingsJson(f, scope(ctx)));
    }

    private void finding(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (id == null || id.isBlank() || id.length() > 256) {
            throw ApiException.badParameter("id", "a finding id is 1..256 characters");
        }
        respond(ctx, read.finding(id, scope(ctx)));
    }

    private void findingFix(RoutingContext ctx) {
        Params.onlyKnown(ctx, Set.of());
        String id = ctx.pathParam("id");
        if (id == null || id.isBlank() || id.length() > 256) {
            throw ApiException.badParameter("id", "a finding id is 1..256 characters");
        }
        respond(ctx, fixes.fix(id, scope(ctx)));
    }

    private void diagnose(RoutingContext ctx) {
        Params.onlyKnown(ctx, Set.of("from", "to", "since"));
        Instant now = read.clock().instant();
        var from = Diagnoser.Endpoint.parse("from", Params.single(ctx, "from"));
        var to = Diagnoser.Endpoint.parse("to", Params.single(ctx, "to"));
        Instant since = Params.instant(ctx, "since", now, now.minus(Diagnoser.DEFAULT_WINDOW));
        respond(ctx, diagnoser.diagnose(from, to, since, now, scope(ctx)));
    }

    private void events(RoutingContext ctx) {
        Params.onlyKnown(ctx, Set.of("mesh", "category", "source_kind", "q", "since", "until", "size"));
        Instant now = read.clock().instant();
        String q = Params.single(ctx, "q");
        if (q != null && q.length() > 1000) {
            throw ApiException.badParameter("q", "at most 1000 characters");
        }
        Instant since = Params.instant(ctx, "since", now, now.minus(Duration.ofHours(24)));
        Instant until = Params.instant(ctx, "until", now, null);
        if (until != null && until.isBefore(since)) {
            throw ApiException.badParameter("until", "is before since (" + since + ")");
        }
        var f = new ReadModel.EventFilter(
                Params.multi(ctx, "mesh"),
                Params.categories(ctx),
                Params.sourceKinds(ctx),
                q,
                since,
                until,
                Params.integer(ctx, "size", 50, 1, 500));
        respond(ctx, read.events(f, scope(ctx)));
    }

    private void meshes(RoutingContext ctx) {
        Params.onlyKnown(ctx, Set.of());
        respond(ctx, read.meshes(scope(ctx), settings.inventory()));
    }

    /** A what-if body holds at most two PEM roots and a few names. */
    static final long WHAT_IF_BODY_LIMIT = 64 * 1024;

    private void trust(RoutingContext ctx) {
        Params.onlyKnown(ctx, Set.of("mesh", "horizon_days"));
        Set<String> meshes = Params.multi(ctx, "mesh");
        ReadModel.requireMeshesInScope(scope(ctx), meshes);
        String h = Params.single(ctx, "horizon_days");
        Duration horizon = h == null ? null : Duration.ofDays(Params.integer(ctx, "horizon_days", 30, 1, 3650));
        respond(ctx, trust.matrix(scope(ctx), meshes, horizon));
    }

    private void whatIf(RoutingContext ctx) {
        Params.onlyKnown(ctx, Set.of());
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = TrustJson.mapper()
                    .readTree(ctx.body().asString() == null ? "" : ctx.body().asString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badParameter("body", "the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || body.isMissingNode()) {
            throw ApiException.badParameter(
                    "body",
                    "a JSON body is required, e.g. {\"rotate\": {\"mesh\": \"istio-east\", "
                            + "\"fingerprint\": \"<sha256>\"}}");
        }
        respond(ctx, trust.whatIf(body, scope(ctx)));
    }

    /** As {@link #respond}, for a body already serialised (the cached findings page). */
    private void respondBytes(RoutingContext ctx, CompletableFuture<byte[]> result) {
        io.vertx.core.Context vctx = vertx.getOrCreateContext();
        result.whenComplete((json, err) -> vctx.runOnContext(v -> {
            if (err != null) {
                ctx.fail(err instanceof CompletionException && err.getCause() != null ? err.getCause() : err);
            } else if (!ctx.response().ended()) {
                ctx.response().putHeader("content-type", "application/json").end(Buffer.buffer(json));
            }
        }));
    }

    private void respond(RoutingContext ctx, CompletableFuture<ObjectNode> result) {
        io.vertx.core.Context vctx = vertx.getOrCreateContext();
        result.whenComplete((json, err) -> vctx.runOnContext(v -> {
            if (err != null) {
                ctx.fail(err instanceof CompletionException && err.getCause() != null ? err.getCause() : err);
            } else if (!ctx.response().ended()) {
                ctx.response().putHeader("content-type", "application/json").end(json.toString());
            }
        }));
    }

    // ---- problems ----

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        ApiException p;
        if (t instanceof ApiException a) {
            p = a;
        } else if (t instanceof ReadRefused r) {
            p = switch (r.reason()) {
                case BAD_PARAMETER -> ApiException.badParameter(r.parameter(), r.getMessage());
                case FORBIDDEN -> ApiException.forbidden(r.getMessage());
                case NOT_FOUND -> ApiException.notFound(r.getMessage());
            };
        } else if (t instanceof TrustJson.BadRequest b) {
            p = ApiException.badParameter(b.field(), b.getMessage());
        } else if (t instanceof QueryClient.UnavailableException u) {
            p = ApiException.unavailable(u.getMessage());
        } else if (t instanceof QueryClient.RequestException r) {
            LOG.warn("Elasticsearch rejected a query for {}: {}", ctx.request().path(), r.getMessage());
            p = new ApiException(500, "internal", "Internal error", "the search backend rejected the query", null);
        } else if (t == null) {
            int code = ctx.statusCode() <= 0 ? 500 : ctx.statusCode();
            p = new ApiException(
                    code,
                    code == 404 ? "not-found" : "internal",
                    code == 404 ? "Not found" : "Error",
                    "request failed with status " + code,
                    null);
        } else {
            LOG.error("unexpected error on {}", ctx.request().path(), t);
            p = new ApiException(500, "internal", "Internal error", "unexpected error; see the server log", null);
        }
        problem(ctx, p);
    }

    static void problem(RoutingContext ctx, ApiException p) {
        if (ctx.response().ended()) {
            return;
        }
        ObjectNode o = QueryDsl.obj();
        o.put("type", PROBLEM_BASE + p.type());
        o.put("title", p.title());
        o.put("status", p.status());
        o.put("detail", p.getMessage());
        o.put("instance", ctx.request().path());
        if (p.parameter() != null) {
            o.put("parameter", p.parameter());
        }
        ctx.response()
                .setStatusCode(p.status())
                .putHeader("content-type", PROBLEM_JSON)
                .end(o.toString());
    }
}
