package dev.meshlens.collector.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kuma's MeshAccessLog formats (corpus/README.md R38): presets, and the %KUMA_*% placeholders in user formats. */
class KumaFormatsTest {
    /** corpus s31: a Kuma sidecar's outbound line in the default HTTP format, placeholders already interpolated. */
    static final String HTTP_LINE =
            "[2025-11-18T10:00:02.000Z] default \"GET /catalog/items/42 HTTP/1.1\" 200 - 0 734 9 8"
                    + " \"-\" \"Go-http-client/1.1\" \"-\" \"1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a\" \"catalog-api.shop.svc.cluster.local:8080\""
                    + " \"basket_kuma-shop_svc_8080\" \"catalog-api-istio\" \"10.42.1.30\" \"10.244.8.21:8080\"";

    @Test
    void theDefaultHttpFormatReadsAKumaLine() {
        LineFormat f = Presets.byName("kuma");
        ParsedLine p = f.newParsedLine();
        assertEquals(ParseStatus.OK, f.parse(HTTP_LINE, p));
        assertEquals("200", p.get(Field.RESPONSE_CODE));
        assertEquals("catalog-api.shop.svc.cluster.local:8080", p.get(Field.AUTHORITY));
        assertEquals("10.244.8.21:8080", p.get(Field.UPSTREAM_HOST));
        assertEquals(-1, f.slotOf(Field.UPSTREAM_CLUSTER), "Kuma's default format has no cluster");
    }

    @Test
    void theDefaultTcpFormatReadsAKumaLine() {
        LineFormat f = Presets.byName("kuma-tcp");
        ParsedLine p = f.newParsedLine();
        String line = "[2025-11-18T10:00:02.000Z] UF default 10.42.1.30(basket_kuma-shop_svc_8080)->10.244.8.21:5432"
                + "(postgres_db_svc_5432) took 3ms, sent 0 bytes, received: 0 bytes";
        assertEquals(ParseStatus.OK, f.parse(line, p));
        assertEquals("UF", p.get(Field.RESPONSE_FLAGS));
        assertEquals("10.244.8.21:5432", p.get(Field.UPSTREAM_HOST));
    }

    @Test
    void placeholdersCompileInPastedTextAndJsonFormats() {
        LineFormat text = Presets.resolve("[%START_TIME%] %KUMA_MESH% %RESPONSE_FLAGS% \"%KUMA_DESTINATION_SERVICE%\"");
        ParsedLine p = text.newParsedLine();
        assertEquals(ParseStatus.OK, text.parse("[2025-11-18T10:00:02.000Z] default UF \"geo_maps_svc_8080\"", p));
        assertEquals("UF", p.get(Field.RESPONSE_FLAGS));
        JsonFormat json = JsonFormat.compile("kuma-json", Map.of("mesh", "%KUMA_MESH%", "flags", "%RESPONSE_FLAGS%"));
        assertTrue(json.slotOf(Field.RESPONSE_FLAGS) >= 0);
    }
}
