package dev.meshlens.query.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.query.client.ApiCall;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./meshlens fix ID}: a finding's fix from a running query API ({@code GET
 * /api/v1/findings/{id}/fix}), printed as the resources to apply (ready to pipe into the command
 * each names) and the steps that are not configuration, or the API's JSON with {@code --json}.
 */
@Command(
        name = "fix",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "a finding's fix as ready-to-apply configuration: the resources, the steps, who applies them"
                + " and why (docs/fixes.md)")
public final class FixCommand implements Callable<Integer> {
    static final String DEFAULT_API = "http://127.0.0.1:8080";
    private static final ObjectMapper M = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "FINDING_ID",
            description = "the id of a finding (GET /api/v1/findings, the on-call page)")
    private String id;

    @Option(
            names = "--api",
            paramLabel = "URL",
            description = "the query API (default " + DEFAULT_API + ", or MESHLENS_API)")
    private String api;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "bearer token (default MESHLENS_TOKEN); the finding must involve a mesh it grants")
    private String token;

    @Option(names = "--json", description = "the API's JSON answer")
    private boolean json;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    /** The launcher's: standard streams and the process environment. */
    public FixCommand() {
        this(System.out, System.err, System.getenv());
    }

    private FixCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err, System.getenv());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return Cli.run(new FixCommand(out, err, env), args, out, err);
    }

    @Override
    public Integer call() {
        String api = this.api != null ? this.api : env.getOrDefault("MESHLENS_API", DEFAULT_API);
        String token = this.token != null ? this.token : env.get("MESHLENS_TOKEN");
        if (token == null || token.isBlank()) {
            throw new ParameterException(spec.commandLine(), "a token is needed: --token TOKEN or MESHLENS_TOKEN");
        }
        String url = ApiCall.url(
                api,
                "/api/v1/findings/"
                        + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "/fix");
        JsonNode answer;
        try {
            answer = ApiCall.get(url, token);
        } catch (ApiCall.Failure e) {
            err.println("fix: " + e.getMessage());
            return e.exitCode();
        }
        if (json) {
            out.println(answer.toPrettyString());
        } else {
            print(answer, out);
        }
        return 0;
    }

    /** The plan in words: each option with its mesh, team and why, then each resource and step. */
    static void print(JsonNode plan, PrintStream out) {
        out.println(plan.path("summary").asText());
        int n = 0;
        for (JsonNode o : plan.path("options")) {
            n++;
            out.println();
            out.println((n == 1 ? "Recommended" : "Option " + n) + ": mesh "
                    + o.path("mesh").asText()
                    + (o.hasNonNull("team") ? " (team " + o.path("team").asText() + ")" : ""));
            out.println("  why: " + o.path("why").asText());
            for (JsonNode r : o.path("resources")) {
                out.println();
                out.println(
                        "  # " + r.path("kind").asText() + " " + r.path("name").asText()
                                + (r.hasNonNull("namespace")
                                        ? " (namespace " + r.path("namespace").asText() + ")"
                                        : "")
                                + " — apply with: " + r.path("apply_with").asText());
                for (String line : r.path("text").asText().split("\n", -1)) {
                    if (!line.isEmpty()) {
                        out.println("  " + line);
                    }
                }
            }
            for (JsonNode s : o.path("steps")) {
                out.println("  step: " + s.asText());
            }
        }
    }
}
