package dev.meshlens.query.http;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.SourceKind;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Query-parameter parsing; every error names the parameter (RFC 9457 problem with "parameter"). */
final class Params {
    private Params() {}

    static String single(RoutingContext ctx, String name) {
        List<String> all = ctx.queryParam(name);
        if (all.isEmpty()) {
            return null;
        }
        if (all.size() > 1) {
            throw ApiException.badParameter(name, "given " + all.size() + " times; give it once");
        }
        String v = all.get(0).trim();
        return v.isEmpty() ? null : v;
    }

    /** Repeatable and comma-separated values. */
    static Set<String> multi(RoutingContext ctx, String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : ctx.queryParam(name)) {
            for (String p : v.split(",")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
        }
        if (out.size() > 100) {
            throw ApiException.badParameter(name, "at most 100 values");
        }
        return out;
    }

    static Set<String> categories(RoutingContext ctx) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : multi(ctx, "category")) {
            try {
                out.add(FailureCategory.parse(c).name());
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("category", e.getMessage());
            }
        }
        return out;
    }

    static Set<String> sourceKinds(RoutingContext ctx) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : multi(ctx, "source_kind")) {
            try {
                out.add(SourceKind.fromWire(c).wireName());
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("source_kind", e.getMessage());
            }
        }
        return out;
    }

    static String state(RoutingContext ctx) {
        String s = single(ctx, "state");
        if (s == null) {
            return null;
        }
        String l = s.toLowerCase(Locale.ROOT);
        if (!l.equals("open") && !l.equals("resolved")) {
            throw ApiException.badParameter("state", "'" + s + "' is not a state; expected open or resolved");
        }
        return l;
    }

    /** An ISO-8601 instant or a duration back from {@code now} (15m, 24h, 7d). */
    static Instant instant(RoutingContext ctx, String name, Instant now, Instant dflt) {
        String s = single(ctx, name);
        if (s == null) {
            return dflt;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return now.minus(dev.meshlens.config.Durations.parse(s));
            } catch (IllegalArgumentException e2) {
                throw ApiException.badParameter(
                        name,
                        "'" + s + "' is not an ISO-8601 instant (2026-11-29T00:00:00Z) or a duration like 15m/24h/7d");
            } catch (ArithmeticException | DateTimeException e2) {
                // a duration too long to subtract (99999999999999d; found by ParamsFuzzProperties)
                throw ApiException.badParameter(name, "'" + s + "' is too long a duration to go back from now");
            }
        }
    }

    static int integer(RoutingContext ctx, String name, int dflt, int min, int max) {
        String s = single(ctx, name);
        if (s == null) {
            return dflt;
        }
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name, "'" + s + "' is not an integer");
        }
        if (v < min || v > max) {
            throw ApiException.badParameter(name, v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    static void onlyKnown(RoutingContext ctx, Set<String> known) {
        for (String n : ctx.queryParams().names()) {
            if (!known.contains(n)) {
                throw ApiException.badParameter(n, "unknown parameter; this route accepts " + known);
            }
        }
    }
}
