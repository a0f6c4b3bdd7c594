package dev.meshlens.collector.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.fuzz.FuzzCorpus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing the JSON line scanner, the container-runtime unwrapper, the line parsers (every preset, the
 * auto-detecting chain) and the format-string compiler: a line that does not fit is a counted status,
 * never an exception; a format that does not compile is a FormatException, nothing else. Inputs kept in
 * src/test/resources/fuzz/json, fuzz/line and fuzz/format are replayed on every run.
 */
class JsonScanFuzzProperties {
    private static final LineFormat[] PRESETS = {
        Presets.ISTIO,
        Presets.ISTIO_PRE_1_9,
        Presets.ENVOY,
        Presets.ISTIO_JSON,
        Presets.CONSUL_JSON,
        Presets.GENERIC_JSON
    };
    private static final JsonFormat CUSTOM = JsonFormat.compile(
            "custom",
            Map.of(
                    "code",
                    "%RESPONSE_CODE%",
                    "flags",
                    "%RESPONSE_FLAGS%",
                    "reason",
                    "%UPSTREAM_TRANSPORT_FAILURE_REASON%",
                    "start",
                    "%START_TIME%"));

    /** The oracle for a line: the scanner's answers stay inside the line; no parser, unwrapper or chain throws. */
    static void lineIsSafe(String line) {
        int len = line.length();
        for (int i = 0; i <= len; i++) {
            int end = Json.skipValue(line, i, len);
            int at = i;
            assertTrue(
                    end == Json.TRUNCATED || end == Json.INVALID || (end > at && end <= len),
                    () -> "skipValue(" + at + ") = " + end + " for " + line);
        }
        Json.stringMember(line, "log");
        Json.unescape(line, 0, len);
        new ContainerUnwrapper(4096).unwrap(line);
        for (LineFormat f : PRESETS) {
            ParsedLine p = f.newParsedLine();
            if (f.parse(line, p) == ParseStatus.OK) {
                for (int i = 0; i < f.slotCount(); i++) {
                    p.get(i);
                }
            }
        }
        CUSTOM.parse(line, CUSTOM.newParsedLine());
        FormatChain.auto().newParser().parse(line);
    }

    /** The oracle for a format string: compiles, or a FormatException with a message, and then parses safely. */
    static void formatIsSafe(String format) {
        try {
            TextFormat f = TextFormat.compile(format);
            f.parse(format, f.newParsedLine());
            f.parse("", f.newParsedLine());
        } catch (FormatException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        }
    }

    @Property(tries = 1000)
    void anyLineIsSafe(@ForAll("lines") String line) {
        lineIsSafe(line);
    }

    @Property(tries = 1000)
    void anyFormatIsSafe(@ForAll("formats") String format) {
        formatIsSafe(format);
    }

    @Example
    void corpusOfFoundInputsStaysSafe() throws Exception {
        int n = 0;
        for (byte[] b : FuzzCorpus.bytes("json")) {
            lineIsSafe(new String(b, StandardCharsets.UTF_8));
            n++;
        }
        for (byte[] b : FuzzCorpus.bytes("line")) {
            lineIsSafe(new String(b, StandardCharsets.UTF_8));
            n++;
        }
        for (byte[] b : FuzzCorpus.bytes("format")) {
            formatIsSafe(new String(b, StandardCharsets.UTF_8).stripTrailing());
            n++;
        }
        assertTrue(n > 0, "the corpus is on the test classpath");
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> json = Arbitraries.of(
                        "{",
                        "}",
                        "[",
                        "]",
                        "\"",
                        "\\",
                        "\\\"",
                        "\\u",
                        "\\u00",
                        "\\uZZZZ",
                        ":",
                        ",",
                        " ",
                        "\"log\":",
                        "\"time\":",
                        "\"stream\":\"stdout\"",
                        "\"response_code\":",
                        "503",
                        "null",
                        "true",
                        "-",
                        "1e9",
                        "\"upstream_transport_failure_reason\":\"TLS_error:|268435581:\"",
                        "\u0000",
                        "\ud800",
                        "é")
                .list()
                .ofMaxSize(40)
                .map(l -> String.join("", l));
        Arbitrary<String> cri = Arbitraries.of(
                        "2026-11-28T10:00:00.123456789Z ",
                        "stdout ",
                        "stderr ",
                        "F ",
                        "P ",
                        "x",
                        "[2026-11-28T10:00:00.000Z] \"GET / HTTP/1.1\" 503 UF ",
                        "\"-\"",
                        " - ",
                        "{\"log\":\"")
                .list()
                .ofMaxSize(12)
                .map(l -> String.join("", l));
        return Arbitraries.oneOf(json, cri, Arbitraries.strings().ofMaxLength(300));
    }

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of(
                        "%",
                        "%%",
                        "(",
                        ")",
                        ":",
                        "?",
                        "0",
                        "99999999999",
                        "-1",
                        "REQ",
                        "RESP",
                        "START_TIME",
                        "DOWNSTREAM_PEER_URI_SAN",
                        "%REQ(:PATH)%",
                        "%START_TIME(%s.%3f)%",
                        "%RESPONSE_CODE%",
                        "%RESP(X?Y):3%",
                        "\"",
                        " ",
                        "\n",
                        "x",
                        "é",
                        "%UNKNOWN_COMMAND%",
                        "%REQ()%",
                        "%START_TIME(%)%")
                .list()
                .ofMaxSize(16)
                .map(l -> String.join("", l));
    }
}
