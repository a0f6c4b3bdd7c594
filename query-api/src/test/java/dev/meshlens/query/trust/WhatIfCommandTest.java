package dev.meshlens.query.trust;

import static dev.meshlens.query.trust.TrustMatrixTest.ISTIO_ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SourceKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./meshlens what-if} over an inventory file of collector events. */
class WhatIfCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WhatIfCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path inventoryFile() throws Exception {
        Path f = dir.resolve("inventory.jsonl");
        Files.writeString(
                f,
                TrustMatrixTest.federated().stream()
                                .map(EventCodec.get()::encode)
                                .collect(Collectors.joining("\n")) + "\n");
        return f;
    }

    @Test
    void saysWhichPairsBreakInWhichDirectionAndWhy() throws Exception {
        Path f = inventoryFile();
        Run r = run(
                "--inventory",
                f.toString(),
                "--at",
                TrustMatrixTest.NOW.toString(),
                "--drop-bundle",
                "consul-dc1=" + ISTIO_ROOT.sha256().substring(0, 12));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("what if mesh consul-dc1 drops root "), r.out());
        assertTrue(r.out().contains("2 cells break:"), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "  istio-east -> consul-dc1  server_verifies_client (consul-dc1 verifying istio-east): "
                                        + "trusted -> not_trusted"),
                r.out());
        assertTrue(
                r.out().contains("      why: mesh consul-dc1 cannot verify mesh istio-east: the bundle lacks root"),
                r.out());
        assertTrue(r.out().contains("2 unchanged."), r.out());
        assertEquals(
                3,
                run("--inventory", f.toString(), "--check", "--drop-bundle", "consul-dc1=" + ISTIO_ROOT.sha256())
                        .code(),
                "--check fails the review when something breaks");
    }

    @Test
    void rotatesToARootFromAPemFileAndAnswersJson() throws Exception {
        Path f = inventoryFile();
        TestPki.Ca fresh = TestPki.root("CN=Istio Root 3,O=east", TrustMatrixTest.days(-1), TrustMatrixTest.days(3650));
        Path pem = dir.resolve("root.pem");
        Files.writeString(pem, fresh.pem());
        Run r = run("--inventory", f.toString(), "--json", "--rotate", "istio-east=@" + pem);
        assertEquals(0, r.code(), r.err());
        JsonNode a = TrustJson.mapper().readTree(r.out());
        assertEquals(2, a.path("breaks").size(), r.out());
        assertEquals("consul-dc1", a.path("breaks").get(0).path("verifier_mesh").asText());
    }

    @Test
    void readsTheAnswerOfGetEventsToo() throws Exception {
        StringBuilder sb = new StringBuilder("{\"total\": 6, \"items\": [");
        boolean first = true;
        for (MeshEvent e : TrustMatrixTest.federated()) {
            sb.append(first ? "" : ",").append(EventCodec.get().encode(e));
            first = false;
        }
        Path f = dir.resolve("events.json");
        Files.writeString(f, sb.append("]}").toString());
        Run r = run("--inventory", f.toString(), "--expire", ISTIO_ROOT.sha256());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 cells break:"), r.out());
    }

    @Test
    void usageProblemsExitTwoWithAMessage() throws Exception {
        Path f = inventoryFile();
        Run none = run("--inventory", f.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no change given"), none.err());
        assertEquals(2, run("--expire", "abcdef12").code(), "a source is required");
        Run twice = run("--inventory", f.toString(), "--expire", "abcdef12", "--expire", "12345678");
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("option '--expire' (FINGERPRINT) should be specified only once"), twice.err());
        Run unknown = run("--inventory", f.toString(), "--expire", "00000000");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no root or intermediate with SHA-256 fingerprint 00000000"), unknown.err());
        Run bad = run("--inventory", f.toString(), "--rotate", "istio-east");
        assertTrue(bad.err().contains("--rotate needs MESH=FINGERPRINT or MESH=@ROOT.pem"), bad.err());
        Run noToken = run("--api", "http://127.0.0.1:1", "--expire", "abcdef12");
        assertEquals(2, noToken.code());
        assertTrue(noToken.err().contains("--api needs a token"), noToken.err());
        assertEquals(0, run("--help").code());
    }

    @Test
    void aNamingChangeListsTheSanChecksThatFailFromTheAccessLogsInTheInventory() throws Exception {
        Path f = inventoryFile();
        // consul-dc1's ledger called istio-east's frontend and saw its identity
        Files.writeString(
                f,
                EventCodec.get()
                                .encode(MeshEvent.builder()
                                        .eventId("acc-1")
                                        .observedTime(TrustMatrixTest.NOW.minusSeconds(30))
                                        .meshId(TrustMatrixTest.CONSUL)
                                        .sourceKind(SourceKind.ACCESS_LOG)
                                        .observerRole(ObserverRole.CLIENT)
                                        .responseCode(200)
                                        .responseFlags("-")
                                        .localUriSan(TrustMatrixTest.LEDGER)
                                        .peerUriSan(TrustMatrixTest.FRONTEND)
                                        .build())
                        + "\n",
                StandardOpenOption.APPEND);
        String[] args = {
            "--inventory",
            f.toString(),
            "--at",
            TrustMatrixTest.NOW.toString(),
            "--naming",
            "istio-east=spiffe://east.example/ns/<namespace>/sa/<service-account>"
        };
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("no cell of the trust matrix breaks."), r.out());
        assertTrue(r.out().contains("1 SAN check fail:"), r.out());
        assertTrue(
                r.out()
                        .contains("  consul-dc1 -> istio-east  " + TrustMatrixTest.LEDGER + " expects "
                                + TrustMatrixTest.FRONTEND + ", then gets spiffe://east.example/ns/web/sa/frontend"),
                r.out());
        String[] check = Arrays.copyOf(args, args.length + 1);
        check[args.length] = "--check";
        assertEquals(3, run(check).code(), "--check fails the review when a SAN check fails");
        Run bad = run("--inventory", f.toString(), "--naming", "istio-east");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--naming needs MESH=TEMPLATE"), bad.err());
    }
}
