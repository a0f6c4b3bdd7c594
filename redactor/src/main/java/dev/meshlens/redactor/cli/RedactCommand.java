package dev.meshlens.redactor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventDecodeException;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.redactor.Field;
import dev.meshlens.redactor.PolicyException;
import dev.meshlens.redactor.RedactionEngine;
import dev.meshlens.redactor.RedactionPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshlens redact [--policy FILE] [--json] [FILE]}: applies a redaction policy to event
 * JSON lines, or to the lines {@code explain --json} prints (the event inside each), so a person
 * can see what would leave the mesh before enabling it. Without {@code --json} it prints, per line, which fields would be removed or
 * changed (never a removed value); with {@code --json}, the redacted events, one per line.
 *
 * <p>Exit codes: 0 all lines redacted, 1 some lines were not valid events (each reported on stderr
 * with its line number; the others are still processed), 2 usage or policy error.
 */
@Command(
        name = "redact",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = {
            "apply a redaction policy to event JSON lines",
            "Applies a redaction policy to event JSON lines, or to the output of `explain --json` (the event inside"
                    + " each line), from FILE or stdin, and shows what would leave the mesh."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:some input lines were not valid events", "2:usage or policy error"})
public final class RedactCommand implements Callable<Integer> {
    @Option(names = "--policy", paramLabel = "FILE", description = "the policy (default: the shipped default policy)")
    private Path policyFile;

    @Option(names = "--json", description = "print the redacted events as JSON lines instead of a summary")
    private boolean json;

    @Option(names = "--print-default", description = "print the shipped default policy and exit")
    private boolean printDefault;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "read this file; default (or '-'): standard input")
    private String input;

    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;

    /** The launcher's: standard input and output. */
    public RedactCommand() {
        this(System.in, System.out, System.err);
    }

    private RedactCommand(InputStream stdin, PrintStream out, PrintStream err) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    public static int run(String[] args) {
        return run(args, System.in, System.out, System.err);
    }

    /** In-process entry point (tests, a pipe from {@code explain}); the launcher calls {@link #run(String[])}. */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        return Cli.run(new RedactCommand(stdin, out, err), args, out, err);
    }

    @Override
    public Integer call() {
        if (printDefault) {
            out.print(RedactionPolicy.defaultPolicyText());
            return 0;
        }
        RedactionPolicy policy;
        RedactionEngine engine;
        try {
            policy = policyFile == null ? RedactionPolicy.defaultPolicy() : RedactionPolicy.load(policyFile);
            engine = new RedactionEngine(policy, null);
        } catch (PolicyException | IllegalArgumentException e) {
            err.println("redact: " + e.getMessage());
            return 2;
        }
        if (policy.allowAll()) {
            err.println("redact: warning: policy " + policy.id() + " has allow_all: true; every field it does not name"
                    + " is published");
        }
        try (BufferedReader r = input == null || input.equals("-")
                ? new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8)) {
            return process(r, engine, json, out, err);
        } catch (IOException e) {
            err.println("redact: cannot read " + (input == null ? "stdin" : input) + ": " + e.getMessage());
            return 2;
        }
    }

    private static int process(BufferedReader r, RedactionEngine engine, boolean json, PrintStream out, PrintStream err)
            throws IOException {
        EventCodec codec = EventCodec.get();
        String line;
        int n = 0;
        int bad = 0;
        int good = 0;
        int eventless = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            MeshEvent e;
            try {
                e = eventOf(codec, line);
            } catch (EventDecodeException | IllegalStateException | UncheckedIOException ex) {
                bad++;
                // the decoder may quote input; scrub before printing
                err.println(
                        "redact: line " + n + ": not a valid event: " + engine.scrub(String.valueOf(ex.getMessage())));
                continue;
            }
            if (e == null) {
                eventless++; // explain found nothing the collector would publish on that line
                continue;
            }
            MeshEvent red = engine.redact(e);
            good++;
            if (json) {
                out.println(codec.encode(red));
            } else {
                summary(n, e, red, out);
            }
        }
        if (!json) {
            out.println(good + " event(s) redacted, " + bad + " bad line(s)"
                    + (eventless == 0 ? "" : ", " + eventless + " explain line(s) without an event"));
        }
        if (bad > 0) {
            err.println("redact: " + bad + " of " + n + " line(s) were not valid events");
            return 1;
        }
        return 0;
    }

    /**
     * The event on one input line: the line itself, or, for a line of {@code explain --json} (an
     * object with an {@code event} member and no {@code event_id}), the event inside it; null when
     * that explain line has none (a line without a failure, an unrecognised or flagged line).
     *
     * @throws EventDecodeException when the line (or the explain line's event) is not a valid event
     */
    static MeshEvent eventOf(EventCodec codec, String line) {
        JsonNode tree;
        try {
            tree = codec.mapper().readTree(line);
        } catch (JsonProcessingException ex) {
            tree = null; // not JSON: the codec says what is wrong, with the position
        }
        if (tree != null && tree.isObject() && tree.has("event") && !tree.has("event_id")) {
            JsonNode event = tree.get("event");
            return event.isNull() ? null : codec.decode(event.toString());
        }
        return codec.decode(line);
    }

    /** Which fields were removed or changed; never a removed value. */
    static void summary(int lineNo, MeshEvent in, MeshEvent red, PrintStream out) {
        Map<String, Object> before = flatten(in);
        Map<String, Object> after = flatten(red);
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        int kept = 0;
        for (Map.Entry<String, Object> en : before.entrySet()) {
            Object a = after.get(en.getKey());
            if (a == null) {
                removed.add(en.getKey());
            } else if (!Objects.equals(a, en.getValue())) {
                changed.add(en.getKey() + " -> " + a);
            } else {
                kept++;
            }
        }
        out.println("line " + lineNo + "  event " + in.eventId() + "  policy "
                + red.redaction().policyId() + " v" + red.redaction().policyVersion());
        out.println("  removed: " + (removed.isEmpty() ? "-" : String.join(", ", removed)));
        if (changed.isEmpty()) {
            out.println("  changed: -");
        } else {
            for (String c : changed) {
                out.println("  changed: " + c);
            }
        }
        out.println("  kept:    " + kept + " field(s) unchanged");
        StringBuilder sb = new StringBuilder();
        red.redaction()
                .counts()
                .forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ")
                        .append(k)
                        .append('=')
                        .append(v));
        out.println("  counts:  " + (sb.length() == 0 ? "-" : sb));
    }

    private static Map<String, Object> flatten(MeshEvent e) {
        Map<String, Object> m = new TreeMap<>();
        for (Field f : Field.values()) {
            if (f.kind() == Field.Kind.REQUIRED) {
                continue;
            }
            Object v = f.get(e);
            if (v != null) {
                m.put(f.wireName(), f.kind() == Field.Kind.STRUCT ? new Opaque(v) : v);
            }
        }
        e.attributes().forEach((k, v) -> m.put("attributes." + k, v));
        return m;
    }

    /** Structures are compared, not printed (they may be long). */
    private record Opaque(Object v) {
        @Override
        public String toString() {
            return "(changed inside)";
        }
    }
}
