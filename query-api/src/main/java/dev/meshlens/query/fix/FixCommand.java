package dev.meshlens.query.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code ./meshlens fix ID}: a finding's fix from a running query API ({@code GET
 * /api/v1/findings/{id}/fix}), printed as the resources to apply (ready to pipe into the command
 * each names) and the steps that are not configuration, or the API's JSON with {@code --json}.
 */
public final class FixCommand {
    static final String USAGE = """
      Usage: meshlens fix FINDING_ID [--api URL] [--token TOKEN] [--json]

        FINDING_ID    the id of a finding (GET /api/v1/findings, the on-call page)
        --api URL     the query API (default http://127.0.0.1:8080, or MESHLENS_API)
        --token TOKEN bearer token (default MESHLENS_TOKEN); the finding must involve a mesh it grants
        --json        the API's JSON answer
      """;
    static final String DEFAULT_API = "http://127.0.0.1:8080";
    private static final ObjectMapper M = new ObjectMapper();

    private FixCommand() {}

    public static int run(String[] args) {
        return run(args, System.out, System.err, System.getenv());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        String api = env.getOrDefault("MESHLENS_API", DEFAULT_API);
        String token = env.get("MESHLENS_TOKEN");
        String id = null;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--json" -> json = true;
                case "--api", "--token" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        return usage(err, a + " needs a value");
                    }
                    if (a.equals("--api")) {
                        api = args[++i];
                    } else {
                        token = args[++i];
                    }
                }
                default -> {
                    if (a.startsWith("--") || id != null) {
                        return usage(err, "unknown argument '" + a + "'");
                    }
                    id = a;
                }
            }
        }
        if (id == null) {
            return usage(err, "no finding id given");
        }
        if (token == null || token.isBlank()) {
            return usage(err, "a token is needed: --token TOKEN or MESHLENS_TOKEN");
        }
        String url = (api.endsWith("/") ? api.substring(0, api.length() - 1) : api) + "/api/v1/findings/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "/fix";
        HttpResponse<String> r;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build();
            r = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build()
                    .send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            err.println("fix: cannot reach " + url + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        JsonNode answer;
        try {
            answer = M.readTree(r.body());
        } catch (IOException e) {
            err.println("fix: " + url + " answered " + r.statusCode() + " with something that is not JSON");
            return 1;
        }
        if (r.statusCode() != 200) {
            err.println("fix: " + url + " answered " + r.statusCode() + ": "
                    + answer.path("detail").asText(r.body()));
            return r.statusCode() == 404 || r.statusCode() == 400 ? 2 : 1;
        }
        if (json) {
            out.println(answer.toPrettyString());
        } else {
            print(answer, out);
        }
        return 0;
    }

    private static int usage(PrintStream err, String message) {
        err.println("fix: " + message + "\n");
        err.print(USAGE);
        return 2;
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
