package dev.meshlens.query.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.client.ApiCall;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./meshlens what-if}: which mesh pairs break, in which direction and why, if a mesh rotates
 * to a root, a root expires, a mesh drops (or imports) a root. Asks a running query API
 * ({@code --api}, the same answer as {@code POST /api/v1/trust/what-if}) or computes over an
 * inventory file ({@code --inventory}: the trust-bundle and envoy-certs events the collectors
 * publish, as JSON lines, a JSON array, or a {@code GET /api/v1/events} answer).
 */
@Command(
        name = "what-if",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = {
            "which mesh pairs break if a mesh rotates, drops or imports a root, or a root expires",
            "Give exactly one source (--api or --inventory) and one or more changes, at most one of each kind;"
                    + " they apply in the order add-bundle, drop-bundle, rotate, expire, naming."
        },
        footer = {
            "",
            "A fingerprint is the SHA-256 of a root or intermediate in the inventory (a unique prefix of 8+ hex digits"
                    + " is enough; colons allowed).",
            "Exit codes: 0 answered, 2 a usage or input error, 3 a cell breaks and --check was given.%n"
        })
public final class WhatIfCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(
            names = "--rotate",
            paramLabel = "MESH=FINGERPRINT|@ROOT.pem",
            description = "MESH re-issues every workload from that root")
    private String rotate;

    @Option(names = "--expire", paramLabel = "FINGERPRINT", description = "that root or intermediate expires now")
    private String expire;

    @Option(
            names = "--naming",
            paramLabel = "MESH=TEMPLATE",
            description = "MESH names its workloads by TEMPLATE, e.g. spiffe://<trust-domain>/ns/<namespace>/sa/"
                    + "<service-account> (spell a trust domain instead of <trust-domain> to change it too): which"
                    + " clients' SAN checks fail; with --inventory, the file also needs client-side access-log events")
    private String naming;

    @Option(
            names = "--drop-bundle",
            paramLabel = "MESH=FINGERPRINT",
            description = "MESH removes that root from its trust bundle")
    private String dropBundle;

    @Option(names = "--add-bundle", paramLabel = "MESH=FINGERPRINT|@ROOT.pem", description = "MESH imports that root")
    private String addBundle;

    @Option(
            names = "--api",
            paramLabel = "URL",
            description = "a running query API (e.g. http://127.0.0.1:8080); the answer covers the pairs the token"
                    + " may see")
    private String api;

    @Option(names = "--token", paramLabel = "TOKEN", description = "bearer token for --api (default: MESHLENS_TOKEN)")
    private String token;

    @Option(
            names = "--inventory",
            paramLabel = "FILE",
            description = "trust-bundle and envoy-certs events (JSON lines, a JSON array, or the answer of"
                    + " GET /api/v1/events?source_kind=trust-bundle,envoy-certs)")
    private Path inventory;

    @Option(
            names = "--at",
            paramLabel = "INSTANT",
            description = "judge at this instant (inventory only; default: now)")
    private String atText;

    @Option(names = "--json", description = "the API's JSON answer")
    private boolean json;

    @Option(names = "--check", description = "exit 3 when a cell breaks (for a change review)")
    private boolean check;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    /** The launcher's: standard streams and the process environment. */
    public WhatIfCommand() {
        this(System.out, System.err, System.getenv());
    }

    private WhatIfCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err, System.getenv());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return Cli.run(new WhatIfCommand(out, err, env), args, out, err);
    }

    @Override
    public Integer call() {
        String token = this.token != null ? this.token : env.get("MESHLENS_TOKEN");
        Instant at;
        ObjectNode body = TrustJson.mapper().createObjectNode();
        try {
            at = instant(atText);
            if (addBundle != null) {
                body.set("add_bundle", meshAndRoot(addBundle, "--add-bundle", true));
            }
            if (dropBundle != null) {
                body.set("drop_bundle", meshAndRoot(dropBundle, "--drop-bundle", false));
            }
            if (rotate != null) {
                body.set("rotate", meshAndRoot(rotate, "--rotate", true));
            }
            if (expire != null) {
                body.set("expire", TrustJson.mapper().createObjectNode().put("fingerprint", expire));
            }
            if (naming != null) {
                int eq = naming.indexOf('=');
                if (eq <= 0 || eq == naming.length() - 1) {
                    throw new Usage("--naming needs MESH=TEMPLATE, e.g. istio-east=spiffe://<trust-domain>/ns/"
                            + "<namespace>/sa/<service-account>, not '" + naming + "'");
                }
                body.set(
                        "naming",
                        TrustJson.mapper()
                                .createObjectNode()
                                .put("mesh", naming.substring(0, eq))
                                .put("template", naming.substring(eq + 1)));
            }
            if ((api == null) == (inventory == null)) {
                throw new Usage("give exactly one of --api URL or --inventory FILE");
            }
            if (body.isEmpty()) {
                throw new Usage("no change given: --rotate, --expire, --drop-bundle, --add-bundle or --naming");
            }
            if (api != null && at != null) {
                throw new Usage("--at only applies to --inventory (the API judges at its own clock)");
            }
        } catch (Usage u) {
            throw new ParameterException(spec.commandLine(), u.getMessage());
        } catch (IOException e) {
            err.println("what-if: " + e.getMessage());
            return 2;
        }
        JsonNode answer;
        try {
            answer = api != null
                    ? ask(api, token, body)
                    : compute(inventory, body, at == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : at);
        } catch (Failure f) {
            err.println("what-if: " + f.getMessage());
            return f.code;
        }
        if (json) {
            out.println(answer.toPrettyString());
        } else {
            print(answer, out);
        }
        return check
                        && (answer.path("breaks").size() > 0
                                || answer.path("san_breaks").size() > 0)
                ? 3
                : 0;
    }

    // ---- arguments ----

    private static final class Usage extends Exception {
        Usage(String m) {
            super(m);
        }
    }

    private static final class Failure extends Exception {
        final int code;

        Failure(int code, String m) {
            super(m);
            this.code = code;
        }
    }

    /** {@code --at}: null when not given. */
    private static Instant instant(String v) throws Usage {
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new Usage("--at needs an ISO-8601 instant such as 2026-12-01T00:00:00Z, not '" + v + "'");
        }
    }

    /** {@code MESH=FINGERPRINT} or {@code MESH=@file.pem}. */
    private static ObjectNode meshAndRoot(String v, String flag, boolean pemAllowed) throws Usage, IOException {
        int eq = v.indexOf('=');
        if (eq <= 0 || eq == v.length() - 1) {
            throw new Usage(
                    flag + " needs MESH=FINGERPRINT" + (pemAllowed ? " or MESH=@ROOT.pem" : "") + ", not '" + v + "'");
        }
        ObjectNode o = TrustJson.mapper().createObjectNode();
        o.put("mesh", v.substring(0, eq));
        String root = v.substring(eq + 1);
        if (root.startsWith("@")) {
            if (!pemAllowed) {
                throw new Usage(flag + " names the root by fingerprint (it must be in the bundle already)");
            }
            Path p = Path.of(root.substring(1));
            try {
                o.put("root_pem", Files.readString(p, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IOException("cannot read " + p + ": " + e.getMessage(), e);
            }
        } else {
            o.put("fingerprint", root);
        }
        return o;
    }

    // ---- the two sources ----

    private static JsonNode ask(String api, String token, ObjectNode body) throws Failure {
        if (token == null || token.isBlank()) {
            throw new Failure(2, "--api needs a token: --token TOKEN or MESHLENS_TOKEN");
        }
        try {
            return ApiCall.post(ApiCall.url(api, "/api/v1/trust/what-if"), token, body.toString());
        } catch (ApiCall.Failure e) {
            throw new Failure(e.exitCode(), e.getMessage());
        }
    }

    private static JsonNode compute(Path file, ObjectNode body, Instant now) throws Failure {
        List<MeshEvent> events = readEvents(file);
        TrustInventory inv = new InventoryBuilder().addAll(events).build();
        if (inv.meshes().isEmpty()) {
            throw new Failure(2, file + " holds no trust-bundle or envoy-certs event");
        }
        TrustSettings s = TrustSettings.defaults();
        try {
            List<Change> changes = TrustJson.changes(body, fp -> WhatIf.findRoot(inv, now, s, fp));
            return TrustJson.whatIf(WhatIf.run(inv, AcceptedSan.fromEvents(events), changes, now, s));
        } catch (IllegalArgumentException e) {
            throw new Failure(2, e.getMessage());
        }
    }

    /** JSON lines, a JSON array of events, or an object with {@code items} (GET /api/v1/events). */
    static List<MeshEvent> readEvents(Path file) throws Failure {
        List<JsonNode> values = new ArrayList<>();
        try (var it = TrustJson.mapper().readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (it.hasNextValue()) {
                values.add(it.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            throw new Failure(2, "cannot read " + file + " as JSON: " + e.getMessage());
        }
        List<JsonNode> events = values;
        if (values.size() == 1 && values.get(0).isArray()) {
            events = new ArrayList<>();
            values.get(0).forEach(events::add);
        } else if (values.size() == 1 && values.get(0).has("items")) {
            events = new ArrayList<>();
            values.get(0).path("items").forEach(events::add);
        }
        List<MeshEvent> out = new ArrayList<>();
        int n = 0;
        for (JsonNode e : events) {
            n++;
            try {
                out.add(EventCodec.get().decode(e.toString()));
            } catch (RuntimeException ex) {
                throw new Failure(2, file + ": value " + n + " is not an event: " + ex.getMessage());
            }
        }
        return out;
    }

    // ---- output ----

    static void print(JsonNode a, PrintStream out) {
        for (JsonNode c : a.path("changes")) {
            out.println("what if " + c.asText());
        }
        out.println("  judged at " + a.path("evaluated_at").asText() + " over "
                + a.path("cells").asInt() + " cells (both verifications of every ordered mesh pair)");
        JsonNode breaks = a.path("breaks");
        if (breaks.isEmpty()) {
            out.println(a.path("san_breaks").isEmpty() ? "\nnothing breaks." : "\nno cell of the trust matrix breaks.");
        } else {
            out.println("\n" + breaks.size() + " cell" + (breaks.size() == 1 ? "" : "s") + " break:");
            breaks.forEach(b -> line(b, out));
        }
        JsonNode san = a.path("san_breaks");
        if (!san.isEmpty()) {
            out.println("\n" + san.size() + " SAN check" + (san.size() == 1 ? "" : "s") + " fail:");
            for (JsonNode b : san) {
                out.printf(
                        "  %s -> %s  %s expects %s, then gets %s%n",
                        b.path("client_mesh").asText(),
                        b.path("server_mesh").asText(),
                        b.path("client_id").asText("(client)"),
                        b.path("expected_id").asText(),
                        b.path("presented_after").asText("(no identity)"));
                out.println("      why: " + b.path("why").asText());
            }
        }
        JsonNode fixes = a.path("fixes");
        if (!fixes.isEmpty()) {
            out.println("\n" + fixes.size() + " cell" + (fixes.size() == 1 ? "" : "s") + " heal:");
            fixes.forEach(b -> line(b, out));
        }
        out.println("\n" + a.path("unchanged").asInt() + " unchanged.");
    }

    private static void line(JsonNode b, PrintStream out) {
        out.printf(
                "  %s -> %s  %s (%s verifying %s): %s -> %s%n",
                b.path("client_mesh").asText(),
                b.path("server_mesh").asText(),
                b.path("direction").asText(),
                b.path("verifier_mesh").asText(),
                b.path("presenter_mesh").asText(),
                b.path("before").asText(),
                b.path("after").asText());
        out.println("      why: " + b.path("why").asText());
    }
}
