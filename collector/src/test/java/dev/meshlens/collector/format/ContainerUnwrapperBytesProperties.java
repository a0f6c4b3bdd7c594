package dev.meshlens.collector.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Where {@link ContainerUnwrapper#plainStart} answers for a line's bytes (no wrapper, a complete CRI piece), it
 * answers what {@link ContainerUnwrapper#unwrap} says of the same text, in any sequence of lines (a partial
 * piece pending included); where it declines, the text path is taken and nothing was changed.
 */
class ContainerUnwrapperBytesProperties {
    @Property(tries = 500)
    void bytesAgreeWithTextWhereTheyAnswer(@ForAll("streams") List<String> lines) {
        ContainerUnwrapper viaBytes = new ContainerUnwrapper(64);
        ContainerUnwrapper viaText = new ContainerUnwrapper(64);
        for (String line : lines) {
            byte[] a = ("~" + line + "~").getBytes(StandardCharsets.US_ASCII);
            int start = viaBytes.plainStart(a, 1, a.length - 1);
            ContainerUnwrapper.Unwrapped expected = viaText.unwrap(line);
            if (start < 0) {
                viaBytes.unwrap(line); // the text path, as the pipeline takes it
                continue;
            }
            assertNotNull(expected.line(), line);
            assertEquals(expected.line(), new String(a, start, a.length - 1 - start, StandardCharsets.US_ASCII), line);
            int timeEnd = viaBytes.runtimeTimeEnd();
            assertEquals(
                    expected.runtimeTime(),
                    timeEnd < 0 ? null : new String(a, 1, timeEnd - 1, StandardCharsets.US_ASCII),
                    line);
        }
    }

    @Provide
    Arbitrary<List<String>> streams() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of(
                        "",
                        "plain",
                        "[2026-12-06T10:00:00.000Z] \"GET / HTTP/1.1\" 200",
                        "2026-12-06T10:00:00.123456789Z stdout F [x] y",
                        "2026-12-06T10:00:00.1Z stderr P first ",
                        "2026-12-06T10:00:00.2Z stderr F second",
                        "2026-12-06T10:00:00Z stdout F",
                        "2026-12-06T10:00:00Z stdout F ",
                        "2026-12-06T10:00:00Z stdout X y",
                        "2026-12-06T10:00:00Z stdin F y",
                        "2026-12-06 stdout F y",
                        "2026-12-06T10:00:00Z stdout F " + "z".repeat(80),
                        "{\"log\":\"a\\n\",\"stream\":\"stdout\",\"time\":\"t\"}",
                        "{\"log\":\"part-\",\"stream\":\"stdout\",\"time\":\"t\"}",
                        "{\"other\":1}",
                        "z".repeat(70)),
                Arbitraries.strings()
                        .withChars("0123456789-TZ:. stdoutrerFP{}\"log")
                        .ofMaxLength(60));
        return line.list().ofMaxSize(8);
    }
}
