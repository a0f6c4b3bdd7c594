package dev.meshlens.collector.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A plain ASCII line parsed from the bytes of a read buffer ({@link LineFormat#parseAscii}) reads exactly as
 * the same line parsed as text: the same status and, slot by slot, the same values, absences, numbers and
 * substring checks, whatever lies in the buffer around the line.
 */
class TextFormatBytesProperties {
    static final LineFormat[] FORMATS = {
        Presets.ISTIO,
        Presets.ISTIO_PRE_1_9,
        Presets.ENVOY,
        Presets.ISTIO_JSON,
        Presets.CONSUL_JSON,
        TextFormat.compile("multi", "<%RESPONSE_CODE%>::%REQ(:AUTHORITY)% \"%RESPONSE_FLAGS%\" -> %DURATION%ms"),
        TextFormat.compile("non-ascii-literal", "%RESPONSE_CODE% → %UPSTREAM_CLUSTER%")
    };

    static final String[] NEEDLES = {"TLS", "via_upstream", "-", "tls", "reset", "\"", "é"};

    @Property(tries = 600)
    void bytesAndTextAgree(@ForAll("lines") String line, @ForAll("junk") String before, @ForAll("junk") String after) {
        byte[] buf = (before + line + after).getBytes(StandardCharsets.ISO_8859_1);
        int from = before.length();
        int to = from + line.length();
        for (LineFormat f : FORMATS) {
            assertSameReading(f, line, buf, from, to);
        }
    }

    static void assertSameReading(LineFormat f, String line, byte[] buf, int from, int to) {
        ParsedLine text = f.newParsedLine();
        ParsedLine bytes = f.newParsedLine();
        ParseStatus expected = f.parse(line, text);
        assertEquals(expected, f.parseAscii(buf, from, to, bytes), () -> f.name() + ": " + line);
        if (expected != ParseStatus.OK) {
            return;
        }
        assertEquals(line, bytes.line());
        for (int i = 0; i < f.slotCount(); i++) {
            String what = f.name() + " slot " + f.slotName(i) + " of " + line;
            assertEquals(text.absent(i), bytes.absent(i), what);
            assertEquals(text.get(i), bytes.get(i), what);
            assertEquals(text.get(i), bytes.getInterned(i), what);
            assertEquals(text.getLong(i, -7), bytes.getLong(i, -7), what);
            if (!text.absent(i)) {
                assertEquals(text.raw(i).toString(), bytes.raw(i).toString(), what);
            }
            for (String n : NEEDLES) {
                assertEquals(text.contains(i, n), bytes.contains(i, n), what + " contains " + n);
            }
        }
    }

    @Property(tries = 100)
    void aRepeatedValueIsTheSameString(@ForAll("istioLines") String line) {
        byte[] a = line.getBytes(StandardCharsets.ISO_8859_1);
        ParsedLine p = Presets.ISTIO.newParsedLine();
        assertEquals(ParseStatus.OK, Presets.ISTIO.parseAscii(a, 0, a.length, p));
        int slot = Presets.ISTIO.slotOf(Field.AUTHORITY);
        String first = p.getInterned(slot);
        Presets.ISTIO.parseAscii(a.clone(), 0, a.length, p);
        if (first != null && p.raw(slot).toString().indexOf('\\') < 0) {
            assertSame(first, p.getInterned(slot), "the second line's authority is the first one's String");
        }
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.strings().withChars("\"\\ -[]\n\r\tab0").ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300);
        Arbitrary<String> structured = Arbitraries.of(
                        "[",
                        "]",
                        "\"",
                        "\\",
                        "\\\"",
                        "-",
                        " ",
                        "{",
                        "}",
                        ":",
                        ",",
                        "<",
                        ">",
                        "::",
                        "ms",
                        " -> ",
                        "503",
                        "200",
                        "\r",
                        "\n",
                        "\t",
                        "[2024-01-01T00:00:00.000Z] \"GET / HTTP/1.1\" ",
                        "TLS_error:|268435581:",
                        "via_upstream",
                        "{\"response_code\":",
                        "\"upstream_cluster\":\"x\"")
                .list()
                .ofMaxSize(40)
                .map(l -> String.join("", l));
        return Arbitraries.oneOf(ascii, structured, istioLines(), istioLines().map(TextFormatBytesProperties::mutate));
    }

    /** Istio text lines that fit, values with spaces, quotes and backslashes where the format allows them. */
    @Provide
    Arbitrary<String> istioLines() {
        FormatString.Tokens t = FormatString.tokenize(Presets.ISTIO_TEXT_FORMAT);
        List<Arbitrary<String>> slots = new ArrayList<>();
        for (int i = 0; i < t.operators().size(); i++) {
            boolean quoted = t.literals().get(i).endsWith("\"")
                    && t.literals().get(i + 1).startsWith("\"");
            if (t.operators().get(i).field().numeric()) {
                slots.add(Arbitraries.oneOf(
                        Arbitraries.just("-"),
                        Arbitraries.longs().between(0, 1_000_000).map(String::valueOf)));
            } else if (quoted) {
                slots.add(Arbitraries.oneOf(
                        Arbitraries.of("-", "curl/8.5.0", "catalog:8080", "a \\\"b\\\" c"),
                        Arbitraries.strings()
                                .withCharRange(' ', '~')
                                .ofMinLength(1)
                                .ofMaxLength(30)
                                .map(s -> s.replace("\\", "\\\\").replace("\"", "\\\""))));
            } else {
                slots.add(Arbitraries.oneOf(
                        Arbitraries.of("-", "via_upstream", "UF,URX", "outbound|8080||catalog.shop.svc.cluster.local"),
                        Arbitraries.strings()
                                .withCharRange('!', '~')
                                .ofMinLength(1)
                                .ofMaxLength(20)
                                .filter(s -> s.indexOf('"') < 0 && s.indexOf(' ') < 0 && s.indexOf('\\') < 0)));
            }
        }
        return Combinators.combine(slots).as(l -> {
            StringBuilder line = new StringBuilder(t.literals().get(0));
            for (int i = 0; i < l.size(); i++) {
                line.append(l.get(i)).append(t.literals().get(i + 1));
            }
            return line.toString();
        });
    }

    /** A fitting line with one character cut or doubled somewhere: misfits of every kind, near the anchors. */
    static String mutate(String line) {
        int at = Math.floorMod(line.hashCode(), Math.max(1, line.length()));
        return line.hashCode() % 2 == 0
                ? line.substring(0, at) + line.substring(Math.min(line.length(), at + 1))
                : line.substring(0, at) + line.charAt(at) + line.substring(at);
    }
}
