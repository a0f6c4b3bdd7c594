package dev.meshlens.collector.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.collector.classify.ResponseFlags;
import dev.meshlens.collector.classify.Verdict;
import dev.meshlens.collector.format.FormatException;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.redact.EventRedactor;
import dev.meshlens.collector.tail.FileTailer;
import dev.meshlens.collector.tail.LineDecoder;
import dev.meshlens.collector.tail.LineReader;
import dev.meshlens.collector.tail.TailedLine;
import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.TlsFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code explain [--format PRESET|FORMAT] [--json] [FILE]}: classifies Envoy lines offline (no Kafka, no
 * Elasticsearch). With {@code --json} it prints exactly one JSON object per input line; the field names
 * {@code category}, {@code rejected_by} and {@code reason} are a public contract, and so are the other
 * fields documented in docs/collector.md.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = {
            "classify Envoy log lines offline",
            "Classifies Envoy access-log lines, Envoy debug/warning lines, 503 bodies and TLS error strings offline"
                    + " (no Kafka, no Elasticsearch)."
        })
public final class ExplainCommand implements Callable<Integer> {
    @Option(
            names = {"-f", "--format"},
            paramLabel = "PRESET|FORMAT",
            completionCandidates = PresetNames.class,
            description = "a preset (${COMPLETION-CANDIDATES}), an Envoy format string, or a JSON object of key to"
                    + " operator; default: detect the kind of each line")
    private String formatArg;

    @Option(
            names = "--json",
            description = "one JSON object per input line (fields: category, rejected_by, reason, kind, ...)")
    private boolean json;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "read this file; default (or '-'): standard input")
    private String file;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    /** The launcher's: standard input and output. */
    public ExplainCommand() {
        this(System.in, System.out, System.err);
    }

    private ExplainCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** The preset names, for --help and shell completion. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Presets.NAMES.iterator();
        }
    }

    public static int run(String[] args) {
        return run(args, System.in, System.out, System.err);
    }

    /** For running without the launcher; the launcher calls {@link #run(String[])}. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return Cli.run(new ExplainCommand(in, out, err), args, out, err);
    }

    @Override
    public Integer call() {
        LineFormat format = null;
        if (formatArg != null) {
            try {
                format = Presets.resolve(formatArg);
            } catch (FormatException e) {
                err.println("explain: invalid --format: " + e.getMessage());
                return 2;
            }
        }
        EventRedactor redactor = EventRedactor.offlineDefault();
        Explainer explainer = new Explainer(format, file == null || file.equals("-") ? "stdin" : file);
        ObjectMapper mapper = EventCodec.get().mapper();
        Map<FailureCategory, Integer> counts = new EnumMap<>(FailureCategory.class);
        Map<TailedLine.Status, Integer> flagged = new EnumMap<>(TailedLine.Status.class);
        int lines = 0;
        int ok = 0;
        try (InputStream src = file == null || file.equals("-") ? in : Files.newInputStream(Path.of(file))) {
            // read as the collector's tailer reads: a line that is not valid UTF-8 is decoded lossily and
            // flagged, never the end of the run
            LineReader r = new LineReader(src, FileTailer.Options.DEFAULT_MAX_LINE_BYTES);
            LineDecoder.Decoded line;
            while ((line = r.next()) != null) {
                lines++;
                Explainer.Explanation x = explainer.explain(line.text());
                if (line.status() != TailedLine.Status.OK) {
                    flagged.merge(line.status(), 1, Integer::sum);
                }
                if (x.verdict() != null) {
                    counts.merge(x.verdict().failure().category(), 1, Integer::sum);
                } else {
                    ok++;
                }
                if (json) {
                    out.println(mapper.writeValueAsString(toJson(mapper, lines, x, line.status(), redactor)));
                } else {
                    printHuman(out, lines, x, line.status());
                }
            }
        } catch (NoSuchFileException e) {
            err.println("explain: no such file: " + file);
            return 1;
        } catch (IOException e) {
            err.println("explain: cannot read " + (file == null ? "standard input" : file) + ": " + e.getMessage());
            return 1;
        }
        if (!json && lines > 1) {
            out.println("---");
            out.println(lines + " lines: " + ok + " without failure" + (counts.isEmpty() ? "" : ", " + counts));
        }
        flagged.forEach((st, n) -> err.println(
                "explain: " + n + " line(s) were " + describe(st) + "; explained as read, flagged line_status "
                        + st.tag() + ", no event (the collector does not publish them)"));
        return 0;
    }

    /** What is wrong with a line of this status, for people. */
    static String describe(TailedLine.Status st) {
        return switch (st) {
            case OK -> "read cleanly";
            case INVALID_UTF8 -> "not valid UTF-8 (decoded lossily: bad bytes read as U+FFFD)";
            case BINARY -> "binary (NUL bytes)";
            case TOO_LONG -> "longer than " + FileTailer.Options.DEFAULT_MAX_LINE_BYTES + " bytes (cut)";
        };
    }

    /**
     * @param status how clean the line's bytes were; for any but {@code OK} the line is still
     *     explained (as decoded), but {@code event} is null: the collector counts such a line
     *     ({@code meshlens.collector.lines.unparseable}) and samples it, it publishes no event for it
     */
    static ObjectNode toJson(
            ObjectMapper mapper,
            int lineNo,
            Explainer.Explanation x,
            TailedLine.Status status,
            EventRedactor redactor) {
        ObjectNode o = mapper.createObjectNode();
        o.put("line", lineNo);
        o.put("line_status", status.tag());
        o.put("kind", x.kind());
        o.put("wrapper", x.wrapper());
        o.put("format", x.format());
        o.put("parse_status", x.parseStatus() == null ? null : x.parseStatus().tag());
        Verdict v = x.verdict();
        TlsFailure f = v == null ? null : v.failure();
        o.put("failure", f != null);
        o.put("category", f == null ? null : f.category().name());
        o.put("rejected_by", f == null ? null : f.rejectedBy().wireName());
        o.put("reason", f == null ? null : f.reason());
        if (f != null && f.code() != null) {
            o.put("code", f.code());
        } else {
            o.putNull("code");
        }
        o.put("library", v == null ? null : v.library());
        o.put("detail", f == null ? null : f.detail());
        o.put("raw", f == null ? null : f.rawText());
        o.put("recognised", v == null ? null : v.recognised());
        MeshEvent e = x.event();
        ObserverRole role =
                e != null && e.observerRole() != null ? e.observerRole() : v == null ? null : v.observerRole();
        o.put("observer_role", role == null ? null : role.wireName());
        if (e != null && e.responseCode() != null) {
            o.put("response_code", e.responseCode());
        } else {
            o.putNull("response_code");
        }
        ArrayNode flags = o.putArray("response_flags");
        ArrayNode meanings = o.putArray("response_flags_meaning");
        List<String> fl = v != null ? v.flags() : ResponseFlags.split(e == null ? null : e.responseFlags());
        for (String s : fl) {
            flags.add(s);
            String m = ResponseFlags.meaning(s);
            meanings.add(m == null ? s : m);
        }
        o.put("destination", e == null ? null : CorrelationKeys.destinationService(e));
        o.put("sni", e == null ? null : e.requestedServerName());
        o.put("upstream_cluster", e == null ? null : e.upstreamCluster());
        o.put("upstream_host", e == null ? null : e.upstreamHost());
        String peer = null;
        if (e != null) {
            peer = e.peerUriSan() != null
                    ? e.peerUriSan()
                    : role == ObserverRole.SERVER ? e.downstreamRemoteAddress() : e.upstreamHost();
        }
        o.put("peer", peer);
        o.put("explanation", f == null ? null : Explanations.meaning(f.category(), f.rejectedBy(), role));
        o.put("next_step", f == null ? null : Explanations.nextStep(f.category(), f.rejectedBy(), role));
        if (e != null && status == TailedLine.Status.OK) {
            MeshEvent red = redactor.redact(e);
            o.set("event", mapper.valueToTree(red));
        } else {
            o.putNull("event");
        }
        return o;
    }

    private static void printHuman(PrintStream out, int n, Explainer.Explanation x, TailedLine.Status status) {
        printHuman(out, n, x);
        if (status != TailedLine.Status.OK) {
            out.println("  input:     " + describe(status) + "; the collector counts this line as " + status.tag()
                    + " and publishes no event for it");
        }
    }

    private static void printHuman(PrintStream out, int n, Explainer.Explanation x) {
        Verdict v = x.verdict();
        StringBuilder sb = new StringBuilder();
        sb.append("line ").append(n).append(" [").append(x.kind());
        if (!"none".equals(x.wrapper())) {
            sb.append(", ").append(x.wrapper()).append("-wrapped");
        }
        sb.append("] ");
        if (v == null) {
            if ("partial".equals(x.kind())) {
                sb.append("partial line buffered (joined with the next piece)");
            } else if ("unrecognized".equals(x.kind())) {
                sb.append("not an access-log line or failure text meshlens recognises");
                if (x.parseStatus() != null && x.format() != null) {
                    sb.append(" (format ")
                            .append(x.format())
                            .append(": ")
                            .append(x.parseStatus().tag())
                            .append(')');
                }
            } else if ("empty".equals(x.kind())) {
                sb.append("empty line");
            } else {
                MeshEvent e = x.event();
                sb.append("no TLS or connection failure");
                if (e != null && e.responseCode() != null) {
                    sb.append(" (response ").append(e.responseCode()).append(')');
                }
            }
            out.println(sb);
            return;
        }
        TlsFailure f = v.failure();
        ObserverRole role = x.event() != null && x.event().observerRole() != null
                ? x.event().observerRole()
                : v.observerRole();
        sb.append(f.category().name());
        sb.append(" (rejected by: ").append(f.rejectedBy().wireName());
        if (role != null) {
            sb.append("; observed by the ").append(role.wireName());
        }
        sb.append(')');
        out.println(sb);
        if (f.reason() != null) {
            StringBuilder r = new StringBuilder("  reason:    ").append(f.reason());
            if (f.code() != null) {
                r.append(" (code ").append(f.code());
                if (v.library() != null) {
                    r.append(", ").append(v.library());
                }
                r.append(')');
            }
            out.println(r);
        }
        if (f.detail() != null) {
            out.println("  detail:    " + f.detail());
        }
        if (!v.flags().isEmpty()) {
            StringBuilder fs = new StringBuilder("  flags:     ");
            for (int i = 0; i < v.flags().size(); i++) {
                String fl = v.flags().get(i);
                String m = ResponseFlags.meaning(fl);
                fs.append(i == 0 ? "" : ", ").append(fl).append(m == null ? "" : " (" + m + ")");
            }
            out.println(fs);
        }
        MeshEvent e = x.event();
        if (e != null) {
            String dest = CorrelationKeys.destinationService(e);
            if (dest != null) {
                out.println("  between:   "
                        + (role == ObserverRole.SERVER
                                ? "client -> this server (" + dest + ")"
                                : "this client -> " + dest)
                        + (e.upstreamCluster() != null ? " via " + e.upstreamCluster() : ""));
            }
        }
        out.println("  meaning:   " + Explanations.meaning(f.category(), f.rejectedBy(), role));
        out.println("  next step: " + Explanations.nextStep(f.category(), f.rejectedBy(), role));
        if (!v.recognised()) {
            out.println("  (no rule recognised this text; it is counted as UNKNOWN)");
        }
        out.println("  raw:       " + f.rawText());
    }

    /** For tests: the rejected-by wire name. */
    static String wire(RejectedBy r) {
        return r.wireName();
    }
}
