package dev.meshlens.collector.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzz and round-trip properties of the format compiler and parsers. */
class FormatProperties {
    private static final LineFormat[] ALL = {
        Presets.ISTIO,
        Presets.ISTIO_PRE_1_9,
        Presets.ENVOY,
        Presets.ISTIO_JSON,
        Presets.CONSUL_JSON,
        Presets.GENERIC_JSON
    };

    @Property(tries = 400)
    void parsingNeverThrows(@ForAll("noise") String line) {
        for (LineFormat f : ALL) {
            ParsedLine p = f.newParsedLine();
            ParseStatus st = f.parse(line, p);
            if (st == ParseStatus.OK) {
                for (int i = 0; i < f.slotCount(); i++) {
                    p.get(i);
                }
            }
        }
    }

    @Property(tries = 300)
    void compilingNeverThrowsAnythingButFormatException(@ForAll("formats") String format) {
        try {
            TextFormat f = TextFormat.compile(format);
            f.parse(format, f.newParsedLine());
        } catch (FormatException expected) {
            // load-time error with a position: fine
        }
    }

    @Property(tries = 300)
    void istioRoundTrip(@ForAll("istioValues") List<String> values) {
        FormatString.Tokens t = FormatString.tokenize(Presets.ISTIO_TEXT_FORMAT);
        StringBuilder line = new StringBuilder(t.literals().get(0));
        for (int i = 0; i < values.size(); i++) {
            line.append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
                    .append(t.literals().get(i + 1));
        }
        ParsedLine p = Presets.ISTIO.newParsedLine();
        assertEquals(ParseStatus.OK, Presets.ISTIO.parse(line.toString(), p), line::toString);
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            assertEquals(v.equals("-") ? null : v, p.get(i), "slot " + Presets.ISTIO.slotName(i) + " of " + line);
        }
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(400);
        Arbitrary<String> anyChars = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> structured = Arbitraries.of(
                        "[",
                        "{",
                        "\"",
                        "\\",
                        "-",
                        " ",
                        "}",
                        ":",
                        ",",
                        "\"log\":",
                        "503",
                        "[2024-01-01T00:00:00.000Z] \"GET / HTTP/1.1\" ",
                        "TLS_error:|268435581:",
                        "null",
                        "{\"a\":")
                .list()
                .ofMaxSize(40)
                .map(l -> String.join("", l));
        return Arbitraries.oneOf(ascii, anyChars, structured);
    }

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of(
                        "%",
                        "%%",
                        "RESPONSE_CODE",
                        "REQ",
                        "(",
                        ")",
                        ":",
                        "12",
                        "?",
                        " ",
                        "\"",
                        "A",
                        "%REQ(:PATH)%",
                        "%START_TIME%",
                        "x")
                .list()
                .ofMaxSize(20)
                .map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<String>> istioValues() {
        List<Arbitrary<String>> slots = new ArrayList<>();
        FormatString.Tokens t = FormatString.tokenize(Presets.ISTIO_TEXT_FORMAT);
        for (int i = 0; i < t.operators().size(); i++) {
            boolean quoted = t.literals().get(i).endsWith("\"")
                    && t.literals().get(i + 1).startsWith("\"");
            Field f = t.operators().get(i).field();
            if (f.numeric()) {
                slots.add(Arbitraries.oneOf(
                        Arbitraries.just("-"),
                        Arbitraries.longs().between(0, 1_000_000).map(String::valueOf)));
            } else if (quoted) {
                slots.add(Arbitraries.strings()
                        .withCharRange(' ', '~')
                        .ofMinLength(1)
                        .ofMaxLength(40)
                        .filter(s -> !s.endsWith("\\")));
            } else {
                slots.add(Arbitraries.strings()
                        .withCharRange('!', '~')
                        .ofMinLength(1)
                        .ofMaxLength(30)
                        .filter(s -> s.indexOf('"') < 0 && s.indexOf(' ') < 0 && s.indexOf('\\') < 0));
            }
        }
        return Combinators.combine(slots).as(l -> l);
    }
}
