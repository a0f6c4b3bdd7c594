package dev.meshlens.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.collector.classify.TlsClassifier;
import dev.meshlens.collector.format.FormatChain;
import dev.meshlens.collector.format.JsonFormat;
import dev.meshlens.collector.format.ParseStatus;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.collector.format.Presets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elasticsearch.grok.Grok;
import org.elasticsearch.grok.GrokBuiltinPatterns;
import org.elasticsearch.grok.MatcherWatchdog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lines per second on one thread: meshlens parse + classify (compiled format string / JSON scanner and
 * the TLS classifier) against the baselines an operator would otherwise use on the same lines — Elastic's
 * grok with a pattern for Istio's default format, one java.util.regex with named groups, and (for JSON)
 * Jackson's tree parser. Scores are per line ({@code @OperationsPerInvocation}); run with {@code -prof gc}
 * for {@code gc.alloc.rate.norm} (bytes per line).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ParseClassifyBenchmark {
    static final int N = 4096;

    static final String GROK = "\\[%{TIMESTAMP_ISO8601:timestamp}\\] \"%{DATA:method} %{DATA:path} %{DATA:protocol}\" "
            + "%{NUMBER:response_code} %{DATA:response_flags} %{DATA:response_code_details} "
            + "%{DATA:connection_termination_details} \"%{DATA:upstream_transport_failure_reason}\" "
            + "%{NUMBER:bytes_received} %{NUMBER:bytes_sent} %{NUMBER:duration} %{DATA:upstream_service_time} "
            + "\"%{DATA:x_forwarded_for}\" \"%{DATA:user_agent}\" \"%{DATA:request_id}\" \"%{DATA:authority}\" "
            + "\"%{DATA:upstream_host}\" %{DATA:upstream_cluster} %{DATA:upstream_local_address} "
            + "%{DATA:downstream_local_address} %{DATA:downstream_remote_address} %{DATA:requested_server_name} "
            + "%{GREEDYDATA:route_name}";

    static final Pattern REGEX =
            Pattern.compile("\\[(?<ts>[^\\]]+)\\] \"(?<method>\\S+) (?<path>\\S+) (?<proto>[^\"]+)\" "
                    + "(?<code>\\d+) (?<flags>\\S+) (?<details>\\S+) (?<ctd>\\S+) \"(?<utfr>[^\"]*)\" (?<rx>\\d+) (?<tx>\\d+) "
                    + "(?<dur>\\d+) (?<ust>\\S+) \"(?<xff>[^\"]*)\" \"(?<ua>[^\"]*)\" \"(?<rid>[^\"]*)\" \"(?<auth>[^\"]*)\" "
                    + "\"(?<uhost>[^\"]*)\" (?<ucluster>\\S+) (?<uladdr>\\S+) (?<dladdr>\\S+) (?<draddr>\\S+) (?<sni>\\S+) "
                    + "(?<route>\\S+)");
    static final String[] GROUPS = {
        "ts",
        "method",
        "path",
        "proto",
        "code",
        "flags",
        "details",
        "ctd",
        "utfr",
        "rx",
        "tx",
        "dur",
        "ust",
        "xff",
        "ua",
        "rid",
        "auth",
        "uhost",
        "ucluster",
        "uladdr",
        "dladdr",
        "draddr",
        "sni",
        "route"
    };

    List<String> istio;
    /** The same Istio lines as the tailer holds them: one buffer of bytes, each line at its offsets. */
    byte[] istioBytes;

    int[] istioStarts;
    List<String> consul;
    ParsedLine istioParsed;
    /** One format, through the chain a source uses (what a single-format file costs now). */
    FormatChain.Parser istioSingle;
    /** Istio's real stdout: the text access log first, the EnvoyFilter's JSON listener lines second. */
    FormatChain.Parser istioList;
    /** Per-line detection. */
    FormatChain.Parser istioAuto;

    ParsedLine consulParsed;
    Grok grok;
    ObjectMapper jackson;
    final TlsClassifier classifier = TlsClassifier.INSTANCE;

    @Setup
    public void setup() {
        istio = BenchLines.istio(N);
        consul = BenchLines.consul(N);
        istioParsed = Presets.ISTIO.newParsedLine();
        istioBytes = String.join("\n", istio).concat("\n").getBytes(StandardCharsets.US_ASCII);
        istioStarts = new int[N + 1];
        for (int i = 0, at = 0; i < N; i++) {
            istioStarts[i] = at;
            at += istio.get(i).length() + 1;
            istioStarts[i + 1] = at;
        }
        istioSingle = FormatChain.of(Presets.ISTIO).newParser();
        JsonFormat listener = JsonFormat.compile(
                "custom-json",
                Map.of(
                        "start_time",
                        "%START_TIME%",
                        "response_flags",
                        "%RESPONSE_FLAGS%",
                        "downstream_transport_failure_reason",
                        "%DOWNSTREAM_TRANSPORT_FAILURE_REASON%",
                        "requested_server_name",
                        "%REQUESTED_SERVER_NAME%"));
        istioList = FormatChain.of(List.of(Presets.ISTIO, listener)).newParser();
        istioAuto = FormatChain.auto().newParser();
        consulParsed = Presets.CONSUL_JSON.newParsedLine();
        grok = new Grok(GrokBuiltinPatterns.legacyPatterns(), GROK, MatcherWatchdog.noop(), m -> {});
        jackson = new ObjectMapper();
        for (String l : istio) {
            if (Presets.ISTIO.parse(l, istioParsed) != ParseStatus.OK
                    || grok.captures(l) == null
                    || !REGEX.matcher(l).matches()) {
                throw new IllegalStateException("benchmark line does not fit: " + l);
            }
        }
        for (int i = 0; i < N; i++) {
            if (Presets.ISTIO.parseAscii(istioBytes, istioStarts[i], istioStarts[i + 1] - 1, istioParsed)
                    != ParseStatus.OK) {
                throw new IllegalStateException("benchmark line does not fit from bytes: " + istio.get(i));
            }
        }
        for (String l : consul) {
            if (Presets.CONSUL_JSON.parse(l, consulParsed) != ParseStatus.OK) {
                throw new IllegalStateException("benchmark line does not fit: " + l);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void istioText_meshlensParseClassify(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            ParseStatus st = Presets.ISTIO.parse(istio.get(i), istioParsed);
            bh.consume(st);
            bh.consume(classifier.classify(istioParsed));
        }
    }

    /** The same lines parsed from the bytes of a read buffer, as the collector's file sources do now. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void istioText_meshlensParseClassifyBytes(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            ParseStatus st = Presets.ISTIO.parseAscii(istioBytes, istioStarts[i], istioStarts[i + 1] - 1, istioParsed);
            bh.consume(st);
            bh.consume(classifier.classify(istioParsed));
        }
    }

    /** The same lines through a source's format chain holding one format. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void istioText_chainOfOneParseClassify(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            ParseStatus st = istioSingle.parse(istio.get(i));
            bh.consume(st);
            bh.consume(classifier.classify(istioSingle.parsed()));
        }
    }

    /** The same lines through a list of two formats (text first, as in Istio's stdout). */
    @Benchmark
    @OperationsPerInvocation(N)
    public void istioText_listOfTwoParseClassify(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            ParseStatus st = istioList.parse(istio.get(i));
            bh.consume(st);
            bh.consume(classifier.classify(istioList.parsed()));
        }
    }

    /** The same lines detected per line ({@code format: auto}). */
    @Benchmark
    @OperationsPerInvocation(N)
    public void istioText_autoParseClassify(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            ParseStatus st = istioAuto.parse(istio.get(i));
            bh.consume(st);
            bh.consume(classifier.classify(istioAuto.parsed()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void istioText_grokParseOnly(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(grok.captures(istio.get(i)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void istioText_regexParseOnly(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            Matcher m = REGEX.matcher(istio.get(i));
            if (m.matches()) {
                for (String g : GROUPS) {
                    bh.consume(m.group(g));
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void consulJson_meshlensParseClassify(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            ParseStatus st = Presets.CONSUL_JSON.parse(consul.get(i), consulParsed);
            bh.consume(st);
            bh.consume(classifier.classify(consulParsed));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void consulJson_jacksonTreeParseOnly(Blackhole bh) throws Exception {
        for (int i = 0; i < N; i++) {
            JsonNode n = jackson.readTree(consul.get(i));
            bh.consume(n);
        }
    }

    /** Sanity check of the captures (not a benchmark). */
    static Map<String, Object> sample() {
        ParseClassifyBenchmark b = new ParseClassifyBenchmark();
        b.setup();
        return b.grok.captures(b.istio.get(0));
    }
}
