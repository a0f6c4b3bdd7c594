package dev.meshlens.query.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Browser hardening headers on every response (the on-call page, its static assets and the API).
 * The page keeps its bearer token in session storage, where any script running in the page can read
 * it, so a policy that refuses injected script is its main protection: scripts, styles and fetches
 * come from this origin only, nothing inline, no framing.
 */
final class SecurityHeaders {
    /** The page loads app.js and style.css from here and calls /api/v1 on the same origin; nothing else. */
    static final String CONTENT_SECURITY_POLICY = String.join(
            "; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'");

    private SecurityHeaders() {}

    static void apply(RoutingContext ctx) {
        MultiMap h = ctx.response().headers();
        h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.set("X-Content-Type-Options", "nosniff");
        // finding ids and mesh names in the page's URL fragment/query must not leak to other sites
        h.set("Referrer-Policy", "no-referrer");
        // for browsers that predate frame-ancestors
        h.set("X-Frame-Options", "DENY");
        ctx.next();
    }
}
