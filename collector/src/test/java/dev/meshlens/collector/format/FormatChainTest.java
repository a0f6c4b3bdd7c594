package dev.meshlens.collector.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatChainTest {
    static final String ISTIO_LINE = "[2024-01-01T00:00:00.000Z] \"GET / HTTP/1.1\" 200 - via_upstream - \"-\" 0 5 1 1 "
            + "\"-\" \"curl\" \"id\" \"svc\" \"10.0.0.1:80\" outbound|80||svc.ns.svc.cluster.local 10.0.0.2:1 10.0.0.3:80 "
            + "10.0.0.4:2 - default";
    static final JsonFormat LISTENER = JsonFormat.compile(
            "custom-json",
            Map.of(
                    "start_time",
                    "%START_TIME%",
                    "response_flags",
                    "%RESPONSE_FLAGS%",
                    "downstream_transport_failure_reason",
                    "%DOWNSTREAM_TRANSPORT_FAILURE_REASON%"));

    @Test
    void theFirstFormatThatFitsWins() {
        FormatChain.Parser p = FormatChain.of(List.of(Presets.ISTIO, LISTENER)).newParser();
        assertEquals(ParseStatus.OK, p.parse(ISTIO_LINE));
        assertEquals(0, p.matched());
        assertSame(Presets.ISTIO, p.parsed().format());
        assertEquals(ParseStatus.OK, p.parse("{\"start_time\":\"2024-01-01T00:00:00.000Z\",\"response_flags\":\"-\"}"));
        assertEquals(1, p.matched());
        assertSame(LISTENER, p.parsed().format());
    }

    @Test
    void aMisfitSaysWhyTheFormatItLooksLikeRefusedIt() {
        FormatChain.Parser p = FormatChain.of(List.of(Presets.ISTIO, LISTENER)).newParser();
        assertEquals(ParseStatus.TRUNCATED_JSON, p.parse("{\"start_time\":\"2024-01-01T00:00"));
        assertNull(p.parsed());
        assertEquals(-1, p.matched());
        String cutText = "[2024-01-01T00:00:00.000Z] \"GET / HTTP/1.1";
        ParseStatus istioSays = Presets.ISTIO.parse(cutText, Presets.ISTIO.newParsedLine());
        assertEquals(ParseStatus.LITERAL_NOT_FOUND, istioSays);
        assertEquals(istioSays, p.parse(cutText), "the text format's reason, not the JSON format's not_json");
        assertEquals(ParseStatus.PREFIX_MISMATCH, p.parse("hello"));
        assertEquals(ParseStatus.EMPTY, p.parse(""));
    }

    @Test
    void oneFormatParsesExactlyAsTheFormatItself() {
        FormatChain.Parser p = FormatChain.of(Presets.ISTIO).newParser();
        ParsedLine direct = Presets.ISTIO.newParsedLine();
        for (String line :
                List.of(ISTIO_LINE, "{\"a\":1}", "", "[2024-01-01T00:00:00.000Z] \"GET", ISTIO_LINE + " x")) {
            assertEquals(Presets.ISTIO.parse(line, direct), p.parse(line), line);
        }
    }

    @Test
    void aNameUsedTwiceIsTaggedWithItsPosition() {
        assertEquals(
                List.of("istio", "custom-json[2]", "custom-json[3]"),
                FormatChain.of(List.of(Presets.ISTIO, LISTENER, LISTENER)).tags());
        List<String> auto = FormatChain.auto().tags();
        assertEquals(
                List.of("envoy-json", "istio", "istio-pre-1.9", "kuma", "kuma-tcp"),
                auto.subList(0, 5),
                "JSON first, then every profile's text presets in registry order");
        assertEquals("envoy", auto.get(auto.size() - 1), "plain Envoy's format last: it is a prefix of the others");
        assertThrows(IllegalArgumentException.class, () -> FormatChain.of(List.of()));
    }

    @Test
    void autoTellsTheKindOfEachLine() {
        FormatChain.Parser p = FormatChain.auto().newParser();
        assertEquals(ParseStatus.OK, p.parse(ISTIO_LINE));
        assertEquals("istio", FormatChain.auto().tags().get(p.matched()));
        assertEquals(
                ParseStatus.OK, p.parse("{\"start_time\":\"2024-01-01T00:00:00.000Z\",\"response_flags\":\"NR\"}"));
        assertEquals("envoy-json", FormatChain.auto().tags().get(p.matched()));
        assertEquals(
                ParseStatus.PREFIX_MISMATCH,
                p.parse("[2023-09-14 12:30:34.318][1][debug][router] hello"),
                "an Envoy debug line is not an access log");
        assertEquals(ParseStatus.PREFIX_MISMATCH, p.parse("{\"level\":\"info\",\"msg\":\"not an access log\"}"));
    }
}
