package dev.meshlens.collector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.redactor.cli.RedactCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./meshlens explain --json FILE | ./meshlens redact --json} through the two commands'
 * in-process entry points (issue 9.8): redact reads explain's lines as they are, no unwrapping.
 */
class ExplainRedactPipeTest {
    record Run(int code, String out, String err) {}

    static Run redact(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RedactCommand.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final String CONSUL_SHIPPING =
            "spiffe://7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul/ns/default/dc/central1/svc/shipping";

    @Test
    void redactReadsWhatExplainPrints() throws Exception {
        String input = String.join(
                        "\n",
                        ExplainCommandTest.ISTIO_FAIL,
                        ExplainCommandTest.ISTIO_OK,
                        ExplainCommandTest.CONSUL,
                        "hello world",
                        "[2025-04-15 21:45:11.169][15][debug][connection] verify cert failed: SAN matcher: "
                                + CONSUL_SHIPPING + " is not in the verify SAN list")
                + "\n";
        ExplainCommandTest.Run explained = ExplainCommandTest.run(input, "--json");
        assertEquals(0, explained.code(), explained.err());
        List<JsonNode> lines = ExplainCommandTest.jsonLines(explained.out());
        List<JsonNode> withEvent =
                lines.stream().filter(n -> !n.get("event").isNull()).toList();

        Run r = redact(explained.out(), "--json");
        assertEquals(0, r.code(), r.err());
        List<MeshEvent> events = new ArrayList<>();
        for (String l : r.out().strip().split("\n")) {
            events.add(EventCodec.get().decode(l));
        }
        assertEquals(withEvent.size(), events.size(), "one redacted event per explain line that has one: " + r.out());
        for (int i = 0; i < events.size(); i++) {
            MeshEvent before =
                    EventCodec.get().decode(withEvent.get(i).get("event").toString());
            MeshEvent after = events.get(i);
            assertEquals(before.eventId(), after.eventId());
            assertEquals(before.tls(), after.tls());
            assertEquals(before.upstreamCluster(), after.upstreamCluster());
            assertEquals(before.upstreamHost(), after.upstreamHost(), "a generalised network stays that network");
            assertEquals(before.downstreamRemoteAddress(), after.downstreamRemoteAddress());
            assertEquals("meshlens-default", after.redaction().policyId());
        }
        assertEquals(FailureCategory.PLAINTEXT_MISMATCH, events.get(0).tls().category());
        assertEquals("32.194.118.0/24", events.get(0).upstreamHost());
        assertNull(events.get(1).path(), "the request path never leaves");
        assertEquals(FailureCategory.UNTRUSTED_ROOT, events.get(2).tls().category());
        assertTrue(events.get(3).tls().rawText().contains(CONSUL_SHIPPING), "identity kept whole: " + r.out());

        Run summary = redact(explained.out());
        assertEquals(0, summary.code(), summary.err());
        assertTrue(
                summary.out()
                        .contains(events.size() + " event(s) redacted, 0 bad line(s), " + (lines.size() - events.size())
                                + " explain line(s) without an event"),
                summary.out());
    }

    @Test
    void aFlaggedLineHasNoEventAndTheOthersStillPass() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ExplainCommand.run(
                new String[] {"--json"},
                new ByteArrayInputStream(ExplainCommandTest.withInvalidUtf8()),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Run r = redact(out.toString(StandardCharsets.UTF_8), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.out().strip().split("\n").length, r.out());
    }
}
