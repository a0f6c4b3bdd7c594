package dev.meshlens.collector.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.collector.event.EventMapper;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.format.Field;
import dev.meshlens.collector.format.FormatChain;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.ParseStatus;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.events.Attempts;
import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.Direction;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.SpiffeId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * "Adding a kind touches its profile and its tests, nothing else": a kind declared only in this test source set
 * ({@link TestMeshProfile}) flows through the collector's configuration, its presets and auto-detection, SPIFFE
 * parsing, the direction of a line and the correlation key, with no other change to production code.
 */
class FourthKindTest {
    static final String LINE = "[2026-12-06T10:00:00.000Z] testmesh 503 UF,URX tm~ledger~9443 ledger.tm-sni "
            + "\"TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end\"";

    @Test
    void theKindIsKnownToTheRegistryTheWireAndTheConfiguration() {
        MeshKind kind = MeshKind.fromWire("TestMesh");
        assertSame(TestMeshProfile.PROFILE, kind.profile());
        assertEquals("testmesh", kind.wireName());
        CollectorConfig c = CollectorConfig.parse("""
        mesh: {id: tm-1, kind: testmesh}
        kafka: {bootstrap_servers: "127.0.0.1:9092"}
        sources:
          files:
            - globs: [/var/log/tm/*.log]
              format: testmesh
        """, "fourth.yaml");
        assertEquals("testmesh", c.get(dev.meshlens.collector.config.CollectorKeys.MESH_KIND));
    }

    @Test
    void itsPresetParsesByNameAndIsDetectedInAMixedStream() {
        LineFormat f = Presets.byName("testmesh");
        assertNotNull(f);
        ParsedLine p = f.newParsedLine();
        assertEquals(ParseStatus.OK, f.parse(LINE, p));
        assertEquals("tm~ledger~9443", p.get(Field.UPSTREAM_CLUSTER));
        FormatChain.Parser auto = FormatChain.auto().newParser();
        assertEquals(ParseStatus.OK, auto.parse(LINE));
    }

    @Test
    void itsIdentitiesNamesAndRetriesNeedNothingElse() {
        SpiffeId id = SpiffeId.parse("spiffe://tm.example/workload/payments/ledger");
        assertEquals("testmesh", id.template());
        assertEquals("ledger", id.workloadName());
        assertEquals("payments", id.namespace());
        assertEquals("ledger", CorrelationKeys.serviceFromCluster("tm~ledger~9443"));
        assertEquals("ledger", CorrelationKeys.serviceFromHost("ledger.tm-sni"));
        assertEquals(Direction.OUTBOUND, dev.meshlens.events.MeshNames.directionOf("tm~ledger~9443"));
        assertEquals(Direction.INBOUND, dev.meshlens.events.MeshNames.directionOf("tm~self"));

        LineFormat f = Presets.byName("testmesh");
        ParsedLine p = f.newParsedLine();
        f.parse(LINE, p);
        SourceContext ctx =
                new SourceContext("tm-1", MeshKind.of("testmesh"), "c1", SourceKind.ACCESS_LOG, "/var/log/tm/a.log");
        MeshEvent e = EventMapper.toEvent(ctx, 0, p, null, Instant.EPOCH).toBuilder()
                .protocol("HTTP/1.1")
                .build();
        assertEquals(ObserverRole.CLIENT, e.observerRole(), "its cluster says the line is outbound");
        assertEquals("ledger", CorrelationKeys.joinKey(e));
        assertEquals(2, Attempts.of(e), "its profile's one default retry");
    }
}
