package dev.meshlens.redactor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.redactor.Corpus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactCommandTest {
    record Result(int code, String out, String err) {}

    static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RedactCommand.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlc2lnbmF0dXJlc2ln";

    static String input() {
        MeshEvent a = Corpus.realistic("istio-east", 1).toBuilder()
                .responseCodeDetails("rejected token " + JWT)
                .build();
        return EventCodec.get().encode(a) + "\n"
                + "{not json at all, token " + JWT + "\n"
                + "\n"
                + EventCodec.get().encode(Corpus.realistic("istio-east", 2)) + "\n";
    }

    @Test
    void jsonOutputBadLinesContinueAndExitNonZero() {
        Result r = run(input(), "--json");
        assertEquals(1, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length);
        MeshEvent first = EventCodec.get().decode(lines[0]);
        assertNull(first.path());
        assertEquals("rejected token [REDACTED:jwt]", first.responseCodeDetails());
        assertTrue(r.err().contains("line 2: not a valid event"), r.err());
        assertFalse(r.err().contains(JWT), "error messages are scrubbed: " + r.err());
        assertFalse(r.out().contains(JWT));
    }

    @Test
    void humanSummaryNamesFieldsNeverRemovedValues() {
        Result r = run(input());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("line 1  event "), r.out());
        assertTrue(r.out().contains("removed: "), r.out());
        assertTrue(r.out().contains("path"), r.out());
        assertTrue(r.out().contains("changed: downstream_remote_address -> 10.244.1.0/24"), r.out());
        assertTrue(r.out().contains("deny.path=1"), r.out());
        assertTrue(r.out().contains("2 event(s) redacted, 1 bad line(s)"), r.out());
        assertFalse(r.out().contains("/api/v1/orders/84213"), "removed values are never printed");
        assertFalse(r.out().contains(JWT));
    }

    @Test
    void policyFileAndPolicyErrors(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("p.yaml");
        Files.writeString(good, "id: team-a\nversion: '3'\nfields:\n  path: generalise\n  tls.category: keep\n");
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, EventCodec.get().encode(Corpus.realistic("m", 1)) + "\n");
        Result r = run("", "--policy", good.toString(), "--json", in.toString());
        assertEquals(0, r.code(), r.err());
        MeshEvent e = EventCodec.get().decode(r.out().strip());
        assertEquals("/api/v1/orders/{id}?include&page", e.path());
        assertEquals("team-a", e.redaction().policyId());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "id: team-a\nversion: '3'\nfields:\n  pth: keep\n");
        r = run("", "--policy", bad.toString(), in.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.yaml line 4: unknown field 'pth'"), r.err());
        assertTrue(r.err().contains("did you mean 'path'"), r.err());
    }

    @Test
    void usage() {
        assertEquals(2, run("", "--bogus").code());
        assertEquals(0, run("", "--help").code());
        Result d = run("", "--print-default");
        assertTrue(d.out().contains("id: meshlens-default"));
    }

    @Test
    void identitiesPassTheDefaultPolicyUnchanged() {
        String consul = "spiffe://7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul/ns/default/dc/central1/svc/shipping";
        String istio = "spiffe://cluster.local/ns/payments-prod/sa/checkout-worker3";
        MeshEvent e = Corpus.realistic("istio-east", 1).toBuilder()
                .peerUriSan(consul)
                .localUriSan(istio)
                .build();
        Result r = run(EventCodec.get().encode(e) + "\n", "--json");
        assertEquals(0, r.code(), r.err());
        MeshEvent out = EventCodec.get().decode(r.out().strip());
        assertEquals(consul, out.peerUriSan());
        assertEquals(istio, out.localUriSan());
    }

    // issue 9.8: `explain --json FILE | redact --json` needed unwrapping by hand
    @Test
    void readsTheLinesExplainJsonPrints() {
        MeshEvent a = Corpus.realistic("istio-east", 1).toBuilder()
                .responseCodeDetails("rejected token " + JWT)
                .build();
        String explainLine = "{\"line\":1,\"line_status\":\"ok\",\"kind\":\"istio-text\",\"failure\":true,"
                + "\"category\":\"UNTRUSTED_ROOT\",\"event\":"
                + EventCodec.get().encode(a) + "}";
        String noEvent = "{\"line\":2,\"line_status\":\"ok\",\"kind\":\"unrecognized\",\"failure\":false,"
                + "\"category\":null,\"event\":null}";
        String bare = EventCodec.get().encode(Corpus.realistic("istio-east", 2));
        String badInside = "{\"line\":4,\"kind\":\"istio-text\",\"event\":{\"mesh_id\":\"m\"}}";
        String in = String.join("\n", explainLine, noEvent, bare, badInside) + "\n";

        Result r = run(in, "--json");
        assertEquals(1, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        MeshEvent first = EventCodec.get().decode(lines[0]);
        assertEquals(a.eventId(), first.eventId());
        assertNull(first.path());
        assertEquals("rejected token [REDACTED:jwt]", first.responseCodeDetails());
        assertEquals(
                Corpus.realistic("istio-east", 2).eventId(),
                EventCodec.get().decode(lines[1]).eventId());
        assertTrue(r.err().contains("line 4: not a valid event"), r.err());
        assertFalse(r.err().contains("line 2"), "an explain line without an event is not an error: " + r.err());

        Result summary = run(String.join("\n", explainLine, noEvent, bare) + "\n");
        assertEquals(0, summary.code(), summary.err());
        assertTrue(
                summary.out().contains("2 event(s) redacted, 0 bad line(s), 1 explain line(s) without an event"),
                summary.out());
    }
}
